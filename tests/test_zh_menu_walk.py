"""Chinese users walk every menu of the app in a real browser and read no English word of the addon.

The demo school's coordinator, then a head teacher, a teacher, the accountant and the administrator
(Settings), all in zh_CN, open in Chromium the top menus' dropdowns and every leaf of the addon's menus
(Configuration and Reporting included, the accountant's Invoicing menu too): every view the action
offers (list, kanban, calendar, pivot, graph, activity), the search panel's options, the form of the
first record with each notebook page, the wizards' dialogs and the client screens. A screen is read
once it has rendered (no request pending, no component left to render, the view shown; no sleeps).
Its visible text nodes and placeholders go back to the test, which fails listing
``user: menu → screen → English words (in "the text")``. The coordinator's groups imply the head
teacher's and the teacher's, so a window action is opened by the first role that sees it; later roles
open the rest and their own client screens (dashboard, today's roll-call), whose content is theirs.

Labels, not data. A word counts as the addon's English when it occurs in one of the addon's own msgids
(``afterschool_service.pot``: field labels, selections, views, menus, Python messages, the demo
records' translatable names). Odoo's own words are Odoo's to translate (its zh_CN terms are loaded, as
``scripts/run`` loads them) and a name or a number never matches. Values typed or stored once (chatter,
activities, letters, free text, char fields such as a leave's reason) are data and are not read; names
the addon composes when read still are, in breadcrumbs, many2one fields, cards and calendar events.
A lone two-letter word ("In" of a name) is not English; ``ALLOWED`` lists the words that stay as they
are in Chinese (formats, units, Odoo). A term new to the addon is caught once it is in the ``.pot``,
which ``tests/test_i18n.py`` keeps up to date. ``test_zh_menus.py`` reads the same labels server-side
from the addon's view archs, including what this walk cannot see (hidden fields, other pages' options).
"""

import json
import re
from pathlib import Path
from unittest.mock import patch

from babel.messages.pofile import read_po

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import DemoCase
from .test_zh_menus import ALLOWED, MODULE

MARK = "zh-walk "
POT = Path(__file__).parents[1] / MODULE / "i18n" / f"{MODULE}.pot"

# In the web client: open the top menus' dropdowns, then every leaf under ROOTS and its screens; each
# screen's visible text is logged as MARK + JSON {menu, screen, text} (or error) for the test to read.
WALK = """
(async () => {
    const ROOTS = %(roots)s;
    const SEEN = %(seen)s;
    const env = odoo.__WOWL_DEBUG__.root.env;
    const actions = env.services.action;
    const { rpcBus } = odoo.loader.modules.get('@web/core/network/rpc');
    const { App } = odoo.loader.modules.get('@odoo/owl');
    const pending = new Set();
    rpcBus.addEventListener('RPC:REQUEST', ({ detail }) => pending.add(detail.data.id));
    rpcBus.addEventListener('RPC:RESPONSE', ({ detail }) => pending.delete(detail.data.id));
    const busy = () => pending.size > 0
        || [...App.apps].some((app) => app.scheduler.tasks.size > 0);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    // Rendered: no request pending, no component left to render, the expected element shown.
    const settle = async (what, shown) => {
        for (let waited = 0; waited < 20000; waited += 20) {
            const error = document.querySelector('.o_error_dialog');
            if (error) {
                throw new Error(what + ': ' + error.innerText.slice(0, 300));
            }
            if (!busy() && shown()) {
                await frame();
                if (!busy() && shown()) {
                    return;
                }
            }
            await tick();
        }
        throw new Error(what + ': never rendered');
    };
    // Values typed or stored once (chatter, activities, letters, texts, char fields) are data, not
    // labels; names composed when read still show in breadcrumbs, many2one fields, cards, events.
    // The calendar's week numbers ("Week 49", FullCalendar's English in Odoo's calendar) are Odoo's.
    const DATA = ['.o-mail-Chatter', '.o-mail-Form-chatter', '.o_field_html', '.o_field_text',
        '.o_list_text', '.o_field_char', '.o_list_char', '.o_field_list_activity',
        '.fc-timegrid-axis', '[class*="week-number"]', '.o-fc-week'].join(', ');
    // The visible text nodes and placeholders, one per line.
    const textOf = (root) => {
        const texts = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.nodeValue.trim();
            const parent = node.parentElement;
            if (text && parent.checkVisibility() && !parent.closest(DATA)) {
                texts.push(text);
            }
        }
        for (const input of root.querySelectorAll('[placeholder]')) {
            if (input.checkVisibility() && !input.closest(DATA)) {
                texts.push(input.placeholder);
            }
        }
        return texts.join('\\n');
    };
    const send = (entry) => console.log(
        '%(mark)s' + JSON.stringify(entry).replaceAll('%%', '\\\\u0025'));
    const report = (menu, screen, root) => root && send({ menu, screen, text: textOf(root) });
    const main = () => {
        const settings = document.querySelector(
            '.o_action_manager .app_settings_block[data-key="afterschool_service"]');
        return settings || document.querySelector('.o_action_manager');
    };
    const dialog = () => document.querySelector('.o_dialog .modal-content');

    const searchOptions = async (menu) => {
        const toggler = document.querySelector('.o_control_panel .o_searchview_dropdown_toggler');
        if (!toggler) {
            return;
        }
        toggler.click();
        await settle(menu + ' search', () => document.querySelector('.o_search_bar_menu'));
        report(menu, 'search options', document.querySelector('.o_search_bar_menu'));
        toggler.click();
        await settle(menu + ' search', () => !document.querySelector('.o_search_bar_menu'));
    };

    const formPages = async (menu) => {
        report(menu, 'form', main());
        const tabs = [...document.querySelectorAll('.o_form_view .o_notebook_headers .nav-link')];
        for (const tab of tabs.slice(1)) {
            tab.click();
            await settle(menu + ' tab', () => tab.classList.contains('active'));
            report(menu, 'form page ' + tab.innerText.trim(),
                document.querySelector('.o_form_view .o_notebook .tab-content'));
        }
    };

    const walkWindow = async (menu, controller) => {
        const first = controller.props.type;
        report(menu, first, main());
        await searchOptions(menu);
        if (first === 'form') {
            return formPages(menu);
        }
        for (const view of controller.views) {
            if ([first, 'form', 'search'].includes(view.type)) {
                continue;
            }
            await actions.switchView(view.type);
            await settle(menu + ' ' + view.type,
                () => document.querySelector('.o_action_manager .o_' + view.type + '_view'));
            report(menu, view.type, main());
        }
        if (controller.views.some((view) => view.type === 'form')) {
            const { resModel, domain, context } = controller.props;
            const [resId] = await env.services.orm.search(resModel, domain, { limit: 1, context });
            if (resId) {
                await actions.switchView('form', { resId });
                await settle(menu + ' form', () => document.querySelector(
                    '.o_action_manager .o_form_view .o_form_sheet_bg, .o_action_manager .o_form_view .o_form_nosheet'));
                await formPages(menu);
            }
        }
    };

    const menus = env.services.menu;
    const leaves = [];
    const gather = (node, path) => {
        const here = [...path, node.name];
        if (node.childrenTree.length) {
            node.childrenTree.forEach((child) => gather(child, here));
        } else if (node.actionID && !SEEN.includes(node.actionID)) {
            leaves.push({ node, menu: here.join(' / ') });
        }
    };
    for (const xmlid of ROOTS) {
        const root = menus.getAll().find((menu) => menu.xmlid === xmlid);
        if (root) {
            gather(menus.getMenuAsTree(root.id), []);
        }
    }
    const app = menus.getAll().find((menu) => menu.xmlid === ROOTS[0]);
    if (app && !app.parentId) {
        // The top menus as the user sees them: each dropdown opened.
        await menus.selectMenu(app);
        await settle('app', () => document.querySelector('.o_menu_sections'));
        report(app.name, 'menu bar', document.querySelector('.o_main_navbar'));
        for (const toggle of document.querySelectorAll('.o_menu_sections .dropdown-toggle')) {
            toggle.click();
            await settle('menu ' + toggle.innerText, () => document.querySelector('.o-dropdown--menu'));
            report(app.name, 'menu ' + toggle.innerText.trim(),
                document.querySelector('.o-dropdown--menu'));
            toggle.click();
            await settle('menu ' + toggle.innerText, () => !document.querySelector('.o-dropdown--menu'));
        }
    }
    for (const { node, menu } of leaves) {
        try {
            const before = actions.currentController;
            await menus.selectMenu(node);
            await settle(menu, () => dialog() || (actions.currentController !== before
                && document.querySelector('.o_action_manager .o_action')));
            if (dialog()) {
                report(menu, 'dialog', dialog());
                await actions.doAction({ type: 'ir.actions.act_window_close' });
                await settle(menu + ' close', () => !dialog());
            } else if (actions.currentController.action.type === 'ir.actions.act_window') {
                await walkWindow(menu, actions.currentController);
            } else {
                report(menu, actions.currentController.action.tag || 'screen', main());
            }
        } catch (error) {
            send({ menu, screen: 'error', error: String(error) });
        }
    }
    send({ done: leaves.map((leaf) => leaf.node.xmlid) });
    console.log('test successful');
})();
"""


def _label_words():
    """The ASCII words of the addon's msgids (lower case), minus those that stay as they are."""
    with POT.open("rb") as pot:
        catalog = read_po(pot)
    words = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else [message.id]:
            text = re.sub(
                r"<[^>]*>|%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{\w*\}", " ", msgid or ""
            )
            words.update(word.lower() for word in re.findall(r"[A-Za-z]{2,}", text))
    return words - {word.lower() for word in ALLOWED}


def _english(text, label_words):
    """The addon's English words in one text of a screen: none unless one has three letters or more
    (a lone "In" is a name's, not English); e-mail addresses, links, locale codes and {{placeholders}}
    are not words."""
    text = re.sub(r"\S+@\S+|https?://\S+|\b[a-z]{2}_[A-Z]{2}\b|\{\{.*?\}\}", " ", text)
    words = {
        word
        for word in re.findall(r"[A-Za-z]{2,}", text)
        if word.lower() in label_words
    }
    return words if any(len(word) > 2 for word in words) else set()


@tagged("post_install", "-at_install", "afterschool", "afterschool_demo")
class TestChineseMenuWalk(DemoCase, HttpCase):
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations("zh_CN", overwrite=True)
        # Odoo's own labels in Chinese, as a school installed with zh_CN has them (scripts/run).
        cls.env["ir.module.module"].search(
            [("name", "in", ("base", "web", "mail", "calendar", "account", "portal"))]
        )._update_translations("zh_CN")
        cls.label_words = _label_words()
        # the administrator of a Chinese school's database reads Chinese (scripts/run sets it)
        cls.env.ref("base.user_admin").write({"lang": "zh_CN", "tz": "Asia/Shanghai"})

    def _walk(self, login, roots, seen=()):
        """Walk the menus under ``roots`` as ``login``: the screens seen and their English words."""
        self.env["res.users"].search([("login", "=", login)]).tour_enabled = False
        lines = []
        handle_console = ChromeBrowser._handle_console

        def read_console(browser, type, args=None, **kwargs):  # noqa: A002 (Chrome's name)
            lines.extend(str(arg.get("value")) for arg in args or [])
            return handle_console(browser, type, args=args, **kwargs)

        with patch.object(ChromeBrowser, "_handle_console", read_console):
            self.browser_js(
                "/odoo",
                WALK
                % {"roots": json.dumps(roots), "seen": json.dumps(seen), "mark": MARK},
                "odoo.isReady === true",
                login=login,
                timeout=600,
            )
        entries = [
            json.loads(line[len(MARK) :]) for line in lines if line.startswith(MARK)
        ]
        done = next(entry["done"] for entry in entries if "done" in entry)
        problems, reported = [], set()
        for entry in entries:
            if "error" in entry:
                problems.append("%s → %s" % (entry["menu"], entry["error"]))
            elif "text" in entry:
                for line in entry["text"].splitlines():
                    words = _english(line, self.label_words)
                    # One example per screen and words (a calendar repeats a name per event).
                    key = (entry["menu"], entry["screen"], frozenset(words))
                    if words and key not in reported:
                        reported.add(key)
                        problems.append(
                            "%s → %s → %s (in %r)"
                            % (
                                entry["menu"],
                                entry["screen"],
                                ", ".join(sorted(words)),
                                line.strip()[:80],
                            )
                        )
        return done, sorted(set(problems), key=problems.index)

    def test_chinese_users_walk_every_menu(self):
        app = "afterschool_service.afterschool_menu_root"
        walked, problems, seen = {}, [], []
        for login, roots in (
            ("coordinator", [app]),
            ("head1", [app]),
            ("teacher1", [app]),
            ("accountant", [app, "afterschool_service.afterschool_menu_accounting"]),
            ("admin", ["afterschool_service.res_config_settings_menu"]),
        ):
            walked[login], found = self._walk(login, roots, seen)
            # A window action shows the same labels to every role (the coordinator's groups imply
            # the others'): later roles open only what no one opened before, and every screen of
            # their own (dashboard, today's roll-call) whose content depends on who reads it.
            seen += [
                menu.action.id
                for menu in map(self.env.ref, walked[login])
                if menu.action._name == "ir.actions.act_window"
            ]
            problems += ["%s: %s" % (login, problem) for problem in found]
        coordinator = walked["coordinator"]
        self.assertGreater(len(coordinator), 30, "the coordinator walked the whole app")
        for leaf in ("afterschool_term_menu", "afterschool_attendance_sheet_menu"):
            self.assertIn(
                MODULE + "." + leaf, coordinator, "Configuration and Reporting"
            )
        self.assertFalse(
            problems,
            "English words of the addon on screens in zh_CN:\n"
            + "\n".join(problems[:400]),
        )
