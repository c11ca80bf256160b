"""One throttle for every code a person types in to act without a login of their own: the survey slip's code
on the public page, a guardian's pickup code at the roll-call.

Each refused code (unknown, already used, or tried while locked) is counted per key: the target it was tried
on (the roll-call's session), the user (not the shared public user) and the client's address. After
FAILURE_LIMIT refusals of one key within FAILURE_WINDOW, every code is refused on that key, the right one
too, with the same message as a wrong one. The code itself is never stored nor logged.

The count lives in ``afterschool.code.attempt`` and is written in the caller's transaction: a caller must
return its refusal (not raise it), else the rollback would forget the attempt. On the normal path the check
is one query on an index (scope, key, at).
"""

from datetime import timedelta

from odoo import fields
from odoo.http import request
from odoo.tools import SQL

FAILURE_LIMIT = 10
FAILURE_WINDOW = timedelta(minutes=15)
# Refused codes older than this are deleted by the autovacuum (afterschool.code.attempt).
ATTEMPT_KEEP = timedelta(days=1)


def client_address():
    """The address of the client of the current HTTP request (None outside one)."""
    try:
        return request.httprequest.remote_addr if request else None
    except RuntimeError:  # no request bound
        return None


class CodeThrottle:
    """Refused codes of one ``scope`` ("survey", "pickup") counted per target, user and address."""

    def __init__(self, env, scope, target=None):
        self.env = env
        self.scope = scope
        keys = []
        if target:
            keys.append("target:%s:%s" % (target._name, target.id))
        if not env.user._is_public():
            keys.append("user:%s" % env.uid)
        address = client_address()
        if address:
            keys.append("address:%s" % address)
        self.keys = keys

    def is_locked(self):
        """One of the keys was refused FAILURE_LIMIT times within the window (one indexed query)."""
        if not self.keys:
            return False
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM afterschool_code_attempt
                    WHERE scope = %s AND key = ANY(%s) AND at > %s
                 GROUP BY key HAVING count(*) >= %s LIMIT 1""",
                self.scope,
                self.keys,
                fields.Datetime.now() - FAILURE_WINDOW,
                FAILURE_LIMIT,
            )
        )
        return bool(self.env.cr.fetchone())

    def record_failure(self):
        """Count one refused code on every key (the code itself is not kept)."""
        if not self.keys:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO afterschool_code_attempt (scope, key, at)
                   SELECT %s, unnest(%s::varchar[]), %s""",
                self.scope,
                self.keys,
                fields.Datetime.now(),
            )
        )
