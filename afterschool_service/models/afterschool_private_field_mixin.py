from odoo import models
from odoo.osv import expression


class AfterschoolPrivateFieldMixin(models.AbstractModel):
    """Related fields keep the privacy (``groups=``) they are given, in searches, groupings and orders too.

    Odoo checks a field's groups when it is read, and when a stored field is searched, grouped or sorted
    on; a non-stored related field is searched and grouped through its target as superuser, so its own
    groups are skipped (a head teacher could find the left-behind children of the class by a domain on
    ``afterschool.application.left_behind``). Models with private related fields inherit this.
    """

    _name = "afterschool.private.field.mixin"
    _description = "After-School Private Related Fields"

    def _where_calc(self, domain, active_test=True):
        self._check_private_fields_access(
            leaf[0].split(".")[0]
            for leaf in domain
            if isinstance(leaf, (list, tuple))
            and len(leaf) == 3
            and isinstance(leaf[0], str)
            and not expression.is_operator(leaf)
        )
        return super()._where_calc(domain, active_test)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # groupby, aggregates and order all come through here
        self._check_private_fields_access([fname])
        return super()._field_to_sql(alias, fname, query, flush)

    def _check_private_fields_access(self, field_names):
        private = [
            name
            for name in field_names
            if name in self._fields
            and self._fields[name].groups
            and self._fields[name].related
        ]
        if private:
            self.check_field_access_rights("read", private)
