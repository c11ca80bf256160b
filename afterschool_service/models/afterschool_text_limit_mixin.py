from odoo import api, models
from odoo.exceptions import ValidationError

NAME_LIMIT = 256
TEXT_LIMIT = 5000


def check_text(env, value, label, limit=TEXT_LIMIT):
    """``value`` stripped, if it is text that can be stored and read: refused with a clear message when it is
    not text (a number or a list sent by RPC), holds a NUL byte (PostgreSQL refuses it) or is too long (an
    index cannot hold a 1 MB name)."""
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        raise ValidationError(env._("%(field)s must be text.", field=label))
    if "\x00" in value:
        raise ValidationError(
            env._(
                "%(field)s contains a character that cannot be stored (NUL).",
                field=label,
            )
        )
    if len(value) > limit:
        raise ValidationError(
            env._(
                "%(field)s is too long: at most %(limit)s characters, not %(length)s.",
                field=label,
                limit=limit,
                length=len(value),
            )
        )
    return value.strip()


class AfterschoolTextLimitMixin(models.AbstractModel):
    """Names and texts people type are checked before they reach the database: text, no NUL byte, a sensible
    length. Models list their fields in ``_text_limits`` (field name: most characters)."""

    _name = "afterschool.text.limit.mixin"
    _description = "After-School Text Limits"
    _text_limits = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_text_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_text_values(vals)
        return super().write(vals)

    def _check_text_values(self, vals):
        for name, limit in self._text_limits.items():
            if vals.get(name):
                check_text(
                    self.env,
                    vals[name],
                    self._fields[name]._description_string(self.env),
                    limit,
                )


def check_staff(env, users):
    """Teachers, head teachers and duty teachers are the school's staff, never a portal (family) login."""
    outsider = users.filtered("share")[:1]
    if outsider:
        raise ValidationError(
            env._(
                "%(user)s has a portal login: only the school's staff (internal users) teach, "
                "supervise or head a class.",
                user=outsider.name,
            )
        )
