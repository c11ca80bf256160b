"""Run a Python program with the clock moved: ``python scripts/at_clock.py "2031-09-01 08:00" PROGRAM ARGS``
(PROGRAM a script's path, or ``-m MODULE``). scripts/test --at runs the addon's install and the suite so.

The clock is set in the process, not in the kernel: freezegun (a requirement of Odoo's tests) moves
Python's clock to the instant given, in UTC, and lets it run on from there, in every thread (the HTTP
server's included). PostgreSQL keeps the real time, so the database cursor's transaction time
(``create_date``, ``write_date``) is taken from the moved clock too. Debian's faketime would move
child processes as well, but Chromium under it is unreliable and PostgreSQL (not our child) would
stay on the real time anyway; the browser tours run on the real clock (scripts/test skips them).
"""

import datetime
import runpy
import sys

import freezegun

from odoo import sql_db


def _cursor_now(cursor):
    """The transaction's time on the moved clock (PostgreSQL's now() is the real one)."""
    if cursor._now is None:
        cursor._now = datetime.datetime.now()
    return cursor._now


def main():
    instant, program, *args = sys.argv[1:]
    freezegun.freeze_time(instant, tick=True).start()
    sql_db.Cursor.now = _cursor_now
    if program == "-m":
        module, *args = args
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = [program, *args]
        runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
