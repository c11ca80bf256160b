"""Helpers shared by the benchmark scripts: open an Odoo environment and time steps."""

import argparse
import contextlib
import time

import odoo
from odoo.api import SUPERUSER_ID, Environment


def parse_args(description, **extra):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", required=True)
    parser.add_argument("--config", required=True)
    for name, kwargs in extra.items():
        parser.add_argument(f"--{name}", **kwargs)
    return parser.parse_args()


@contextlib.contextmanager
def odoo_env(args):
    """An environment as superuser on the bench database; rolled back at the end."""
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
        )
        try:
            yield env
        finally:
            cr.rollback()


class QueryCounter:
    """Counts the SQL queries of a block, to show no step issues queries per record."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.start = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self.start


@contextlib.contextmanager
def timed(label, results, env=None):
    """Time a block (flushing pending writes inside it) and record seconds and queries."""
    start_queries = env.cr.sql_log_count if env else 0
    start = time.perf_counter()
    yield
    if env:
        env.flush_all()
    seconds = time.perf_counter() - start
    results[label] = {
        "seconds": seconds,
        "queries": (env.cr.sql_log_count - start_queries) if env else None,
    }
    print(
        f"{label:<55} {seconds:8.2f} s"
        + (f"  {results[label]['queries']:>7} queries" if env else ""),
        flush=True,
    )
