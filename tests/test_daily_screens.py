from lxml import etree

from odoo.tests import new_test_user

from .common import AfterschoolCase


class TestDailyScreens(AfterschoolCase):
    """Screens that read well: teachers' home, a board without drag, the ledger's pivot and graph."""

    def arch(self, xmlid):
        return etree.fromstring(self.env.ref(xmlid).arch)

    def test_teachers_land_on_today(self):
        today = self.env["ir.actions.actions"].browse(
            self.env.ref("afterschool_service.afterschool_rollcall_action").id
        )
        self.assertEqual(self.teacher.action_id, today)
        self.assertEqual(self.head_teacher.action_id, today)
        self.assertFalse(
            self.manager.action_id, "coordinators open the app on their dashboard"
        )
        clerk = new_test_user(self.env, "as_clerk", groups="base.group_user")
        self.assertFalse(clerk.action_id)
        clerk.groups_id |= self.env.ref("afterschool_service.group_afterschool_teacher")
        self.assertEqual(clerk.action_id, today)

    def test_sessions_open_on_a_board_without_drag(self):
        action = self.env.ref("afterschool_service.afterschool_session_action")
        self.assertEqual(
            action.view_id,
            self.env.ref("afterschool_service.afterschool_session_view_kanban_board"),
        )
        self.assertIn("search_default_filter_today", action.context)
        board = self.arch("afterschool_service.afterschool_session_view_kanban_board")
        self.assertEqual(board.get("records_draggable"), "0")
        for xmlid in (
            "afterschool_service.afterschool_session_view_calendar_teacher",
            "afterschool_service.afterschool_session_view_calendar_venue",
        ):
            calendar = self.arch(xmlid)
            self.assertEqual(
                (calendar.get("edit"), calendar.get("quick_create")), ("0", "0")
            )

    def test_ledger_pivot_groups_by_months_and_graph_per_kind(self):
        action = self.env.ref("afterschool_service.afterschool_session_action_ledger")
        self.assertNotIn(
            "groupby",
            action.context,
            "a search group-by would replace the pivot's rows",
        )
        pivot = self.arch("afterschool_service.afterschool_session_view_pivot")
        self.assertEqual(
            [
                (f.get("name"), f.get("type"))
                for f in pivot.iter("field")
                if f.get("type") in ("row", "col")
            ],
            [("group_id", "row"), ("date", "col")],
        )
        graph = self.arch("afterschool_service.afterschool_session_view_graph")
        self.assertEqual(
            [f.get("name") for f in graph.iter("field") if f.get("type") != "measure"],
            ["date", "kind"],
        )
        self.assertEqual(
            self.env["afterschool.session"]._fields["present_count"].type, "integer"
        )
