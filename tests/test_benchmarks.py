"""The benchmark scripts run: each one's entry point on a tiny size, inside the test's transaction.

A benchmark that does not run is a defect; this keeps them running as the code changes. No timing
is checked here (the figures come from running the scripts themselves).
"""

import contextlib
import importlib
import io
import sys
from pathlib import Path

from .common import AfterschoolCase

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench"


class TestBenchmarksRun(AfterschoolCase):
    def run_bench(self, name, **sizes):
        if str(BENCH_DIR) not in sys.path:
            sys.path.insert(0, str(BENCH_DIR))
        module = importlib.import_module(name)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            result = module.run(self.env, **sizes)
        self.assertTrue(result, output.getvalue())
        return result, output.getvalue()

    def test_bench_allocation(self):
        __, output = self.run_bench("bench_allocation", applications=36, groups=9)
        self.assertIn("places given", output)

    def test_bench_sessions(self):
        results, __ = self.run_bench("bench_sessions", students=12, groups=3, weeks=1)
        self.assertTrue(results["roster"][1])

    def test_bench_billing(self):
        results, output = self.run_bench("bench_billing", sizes=[10], repeat=1)
        self.assertEqual(results[0]["invoices"], 8, output)

    def test_explain_billing(self):
        batches, output = self.run_bench("explain_billing", students=10)
        self.assertEqual(sum(done for done, __ in batches), 8, output)

    def test_bench_screens(self):
        results, output = self.run_bench(
            "bench_screens", students=12, groups=3, weeks=2, calls=1
        )
        self.assertEqual(len(results), 12, output)

    def test_bench_district_month(self):
        results, output = self.run_bench("bench_district_month", schools=2, students=10)
        self.assertEqual([school["invoices"] for school in results], [8, 8], output)
