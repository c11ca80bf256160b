/** A teacher on a phone: today's session, everyone present in one tap, one absence, one pickup. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("afterschool_attendance_tour", {
    url: "/odoo/action-afterschool_service.afterschool_session_action_today",
    steps: () => [
        {
            content: "Today shows the teacher's session; mark everyone present in one tap",
            trigger: ".o_afterschool_today .o_kanban_record:contains('Tour Chess Club') button:contains('All Present')",
            run: "click",
        },
        {
            content: "Both children now count as present",
            trigger: ".o_afterschool_today .o_kanban_record:contains('Tour Chess Club'):contains('2 / 2 present')",
        },
        {
            content: "Open the roster",
            trigger: ".o_afterschool_today .o_kanban_record:contains('Tour Chess Club') button:contains('Roster')",
            run: "click",
        },
        {
            content: "Flip the exception: Xiao Hong is absent",
            trigger: ".o_afterschool_roster .o_kanban_record:contains('Xiao Hong') button.o_afterschool_absent",
            run: "click",
        },
        {
            content: "Xiao Hong shows as absent and can no longer be picked up",
            trigger: ".o_afterschool_roster .o_kanban_record:contains('Xiao Hong'):not(:has(.o_afterschool_pickup)) .o_field_badge:contains('Absent')",
        },
        {
            content: "Record the pickup of Xiao Ming",
            trigger: ".o_afterschool_roster .o_kanban_record:contains('Xiao Ming') button.o_afterschool_pickup",
            run: "click",
        },
        {
            content: "Only the guardians and authorised persons are offered: choose the grandfather",
            trigger: ".modal .o_field_widget[name=picked_up_by_id] select",
            run: "selectByLabel Li Jun",
        },
        {
            content: "Confirm the handover",
            trigger: ".modal .o_afterschool_confirm_pickup",
            run: "click",
        },
        {
            content: "The card shows who collected the child",
            trigger: ".o_afterschool_roster .o_kanban_record:contains('Xiao Ming'):contains('Li Jun'):not(:has(.o_afterschool_pickup))",
        },
    ],
});
