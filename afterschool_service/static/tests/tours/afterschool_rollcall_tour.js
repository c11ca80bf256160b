/**
 * A teacher on a phone (375×667): lands on Today, everyone present, one absent, one pickup by code, closes.
 * Counts the taps and logs them ("afterschool rollcall taps: N") for the test to read.
 */
import { registry } from "@web/core/registry";

let taps = 0;

/** A step that is one tap of the teacher's finger (then, optionally, typing). */
function tap(content, trigger, typing) {
    return {
        content,
        trigger,
        async run(helpers) {
            taps++;
            await helpers.click();
            if (typing) {
                await helpers.edit(typing);
            }
        },
    };
}

registry.category("web_tour.tours").add("afterschool_rollcall_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The teacher lands on today's roll-call: three children to mark",
            trigger: ".o_afterschool_rollcall .o_count_unmarked:contains(3)",
            run() {
                taps = 0;
            },
        },
        tap("Everyone present in one tap", ".o_afterschool_rollcall .o_afterschool_all_present"),
        {
            content: "All three count as present",
            trigger: ".o_afterschool_rollcall .o_count_present:contains(3)",
        },
        tap("Xiao Hong is not here: one tap marks her absent",
            ".o_afterschool_rollcall_card.o_afterschool_rollcall_present[data-name='Xiao Hong']"),
        {
            content: "Xiao Hong shows absent, the counts follow",
            trigger: ".o_afterschool_rollcall_card.o_afterschool_rollcall_absent[data-name='Xiao Hong']",
        },
        {
            content: "...and the server agrees",
            trigger: ".o_afterschool_rollcall .o_count_absent:contains(1)",
        },
        tap("The grandfather shows his pickup code: type it", ".o_afterschool_rollcall .o_afterschool_code input",
            "246810"),
        {
            content: "Xiao Ming is checked out by Li Jun",
            trigger: ".o_afterschool_rollcall_card.o_afterschool_rollcall_collected[data-name='Xiao Ming']:contains(Li Jun)",
        },
        tap("Close the session", ".o_afterschool_rollcall .o_afterschool_close"),
        {
            content: "The close sheet warns about the children present without a pickup",
            trigger: ".o_afterschool_rollcall_sheet .o_afterschool_uncollected:contains(Xiao Gang)",
        },
        tap("Pick the content", ".o_afterschool_rollcall_picks button:contains(Reading)"),
        tap("Confirm, once", ".o_afterschool_rollcall_sheet .o_afterschool_confirm_close:enabled"),
        {
            content: "The session is closed",
            trigger: ".o_afterschool_rollcall_header .badge:contains(Session closed)",
            run() {
                console.log(`afterschool rollcall taps: ${taps}`);
            },
        },
    ],
});
