"""Server-side checks shared by the models: who may run the coordinator's actions, and which fields only
the system writes. Every public method is an RPC endpoint; these run before any sudo()."""

from odoo.exceptions import AccessError, UserError

from .groups import MANAGER_GROUP

# A family's message in the chatter (a notice's answer), at most this many characters.
FAMILY_MESSAGE_LIMIT = 2000


def check_coordinator(records, message):
    """Refuse unless the user is a coordinator who may write ``records`` (record rules: their schools).

    ``message`` is the translated refusal for users without the role.
    """
    if records.env.su:
        return
    if not records.env.user.has_group(MANAGER_GROUP):
        raise AccessError(message)
    records.check_access("write")


def check_computed_fields(records, vals):
    """Refuse writing a field the system computes (computed or related, without an inverse): the ORM would
    store what the client sends, though no screen offers it (e.g. an attendance's billing state)."""
    if records.env.su:
        return
    fields = [records._fields[name] for name in vals if name in records._fields]
    computed = [
        field
        for field in fields
        if field.compute and field.readonly and not field.inverse
    ]
    if computed:
        raise UserError(
            records.env._(
                "%(fields)s: computed by the system, these cannot be written.",
                fields=", ".join(
                    field.get_description(records.env)["string"] for field in computed
                ),
            )
        )
