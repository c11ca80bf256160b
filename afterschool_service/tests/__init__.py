"""Odoo's own runner (`odoo-bin --test-tags /afterschool_service`) runs the project's test suite,
which lives in the repository's top-level tests/ (run there by pytest-odoo, see README).

Nothing is copied: this package also looks in that folder, so `odoo.addons.afterschool_service.tests.test_x`
is tests/test_x.py, its relative imports (`.common`) resolve there, and Odoo tags its classes
with this module. Without that folder (the addon copied alone) there is simply no test.
Odoo only imports this package to run tests; pytest-odoo never imports it.
"""

import importlib
import os

_SUITE = os.path.normpath(
    os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "tests")
)

if os.path.isfile(os.path.join(_SUITE, "common.py")):
    __path__.append(_SUITE)  # noqa: F821 - a package's own search path
    for _name in sorted(os.listdir(_SUITE)):
        if _name.startswith("test_") and _name.endswith(".py"):
            importlib.import_module(f"{__name__}.{_name[:-3]}")
