"""Nothing phones home from the addon: it depends on no module that calls out, and opening the screens
of the demo school (every app, every menu of the addon) makes the addon connect to nothing but this
machine. Odoo's own calls (its weekly update notification, which a standard database keeps on) are
refused too but are Odoo's, not the addon's: a connection counts when the addon's code is on its
stack. The project's databases also leave those modules and that cron out (scripts/_prepare.sh)."""

import ipaddress
import socket
import traceback
from unittest.mock import patch

from werkzeug.urls import url_parse

from odoo.tests import HttpCase, tagged

from .common import AfterschoolCase

# Odoo modules that call Odoo's or Google's servers; scripts/_prepare.sh builds the databases
# without them (nor anything depending on them).
PHONE_HOME_MODULES = [
    "iap",
    "iap_mail",
    "partner_autocomplete",
    "sms",
    "snailmail",
    "web_unsplash",
]

# In one page: the web client's click bot opens every app's first screen, then every menu,
# view and filter of the addon; then the page checks it loaded nothing from another origin.
CLICK_SCRIPT = """
(async () => {
    const signal = 'clickbot test succeeded';
    const log = console.log.bind(console);
    const loader = odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader');
    const passes = [[undefined, true], ['afterschool_service.afterschool_menu_root', false]];
    const next = () => {
        const [app, light] = passes.shift();
        setTimeout(() => loader.startClickEverywhere(app, light), 500);
    };
    console.log = (...args) => {
        if (args[0] !== signal) {
            log(...args);
        } else if (passes.length) {
            next();
        } else {
            // Let the last screen finish loading (the browser is closed right after).
            setTimeout(finish, 3000);
        }
    };
    const finish = () => {
        const foreign = performance.getEntriesByType('resource').map((entry) => entry.name)
            .filter((url) => !url.startsWith(location.origin) && !url.startsWith('data:')
                && !url.startsWith('blob:'));
        if (foreign.length) {
            console.error('the browser loaded from another origin: ' + foreign.join(', '));
        } else {
            console.log = log;
            log('test successful');
        }
    };
    next();
})();
"""


def _from_the_addon():
    """Whether the addon's code is on the stack of this connection (not only Odoo's)."""
    return any(
        "/afterschool_service/" in frame.filename for frame in traceback.extract_stack()
    )


def _is_local(host):
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@tagged("post_install", "-at_install", "afterschool")
class TestNoOutboundConnection(AfterschoolCase, HttpCase):
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outbound = []
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

        def guard(real):
            def connect(sock, address, *args):
                if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(
                    address[0]
                ):
                    if _from_the_addon():
                        cls.outbound.append("%s:%s" % address[:2])
                    raise ConnectionRefusedError(
                        "outbound connection refused in tests: %s" % (address,)
                    )
                return real(sock, address, *args)

            return connect

        for name, real in (("connect", real_connect), ("connect_ex", real_connect_ex)):
            patcher = patch.object(socket.socket, name, guard(real))
            patcher.start()
            cls.addClassCleanup(patcher.stop)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Odoo's test runner already refuses outside requests; record them so the test fails."""
        if not _is_local(url_parse(r.url).host) and _from_the_addon():
            cls.outbound.append(r.url)
        return super()._request_handler(s, r, **kw)

    def test_the_addon_depends_on_no_module_that_calls_out(self):
        Module = self.env["ir.module.module"]
        needed, todo = set(), ["afterschool_service"]
        while todo:
            module = Module.search([("name", "=", todo.pop())])
            for name in module.dependencies_id.mapped("name"):
                if name not in needed:
                    needed.add(name)
                    todo.append(name)
        self.assertIn("account", needed)
        self.assertFalse(
            needed & set(PHONE_HOME_MODULES), "the addon needs a module that calls out"
        )

    def test_screens_call_nobody(self):
        if not self.env.ref(
            "afterschool_service.res_company_demo", raise_if_not_found=False
        ):
            self.skipTest("the database was installed without demo data")
        self.env.ref("base.user_admin").tour_enabled = False
        # The first login of the administrator, every app, every screen of the addon.
        self.browser_js(
            "/odoo", CLICK_SCRIPT, "odoo.isReady === true", login="admin", timeout=900
        )
        self.assertEqual(self.outbound, [], "the server connected outside this machine")
