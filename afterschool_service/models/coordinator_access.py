"""Who may run the coordinator's actions: checked before they work as superuser."""

from odoo.exceptions import AccessError

MANAGER_GROUP = "afterschool_service.group_afterschool_manager"


def check_coordinator(records, message):
    """Refuse unless the user is a coordinator who may write ``records`` (record rules: their schools).

    ``message`` is the translated refusal for users without the role.
    """
    if records.env.su:
        return
    if not records.env.user.has_group(MANAGER_GROUP):
        raise AccessError(message)
    records.check_access("write")
