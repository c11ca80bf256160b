"""18.0.2.1.0: the not-collected alert's scheduled action calls the session's method.

The action is noupdate (a school may change its interval), so databases from before the alert
replaced the late-pickup flag still call ``afterschool.attendance._cron_flag_late_pickups``, a
leftover kept for them alone. Point the action at ``afterschool.session._cron_alert_not_collected``
so the leftover can go.
"""

from odoo import SUPERUSER_ID, api

LEFTOVER = "_cron_flag_late_pickups"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(
        "afterschool_service.afterschool_attendance_cron_late_pickup",
        raise_if_not_found=False,
    )
    if cron and LEFTOVER in (cron.code or ""):
        cron.write(
            {
                "model_id": env.ref("afterschool_service.model_afterschool_session").id,
                "code": "model._cron_alert_not_collected()",
            }
        )
