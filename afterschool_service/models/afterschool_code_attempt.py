from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..tools.code_throttle import ATTEMPT_KEEP


class AfterschoolCodeAttempt(models.Model):
    """A refused code (survey slip, pickup code): on what, by whom and from where it was tried, never the code.
    Written and read by the throttle (tools/code_throttle.py) in SQL; nobody reads it through the ORM but the
    administrator."""

    _name = "afterschool.code.attempt"
    _description = "After-School Refused Code"
    _log_access = False
    _order = "at desc, id desc"

    scope = fields.Char(required=True, readonly=True)
    key = fields.Char(required=True, readonly=True)
    at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    def init(self):
        create_index(
            self.env.cr,
            "afterschool_code_attempt_scope_key_at_index",
            self._table,
            ["scope", "key", "at"],
        )

    @api.autovacuum
    def _gc_code_attempts(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM afterschool_code_attempt WHERE at < %s",
                fields.Datetime.now() - ATTEMPT_KEEP,
            )
        )
