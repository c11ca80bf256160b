from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _afterschool_bus_alert(self, title, message):
        """An instant, sticky notification in these users' open Odoo tabs (the alerts that cannot wait)."""
        for user in self.filtered("active"):
            user._bus_send("simple_notification", {"type": "warning", "title": title, "message": message,
                                                   "sticky": True})
