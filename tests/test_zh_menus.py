"""A zh_CN coordinator walks every menu of the app as the web client loads it (load_menus, the actions,
get_views with their fields) and meets no English word of the addon: only proper names and numbers."""

import re

from lxml import etree

from odoo.tools.safe_eval import safe_eval

from .common import AfterschoolCase, load_chinese

MODULE = "afterschool_service"
# Words that stay as they are in Chinese: proper names, formats, units.
ALLOWED = {"XLSX", "PDF", "Excel", "ID", "CNY", "Odoo", "Email"}
SHOWN_ATTRIBUTES = (
    "string",
    "help",
    "placeholder",
    "confirm",
    "sum",
    "title",
    "aria-label",
)


def _english_words(text):
    words = re.findall(
        r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)s|\{\{.*?\}\}", " ", text or "")
    )
    return [word for word in words if word not in ALLOWED]


class TestChineseMenus(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.coordinator = cls.env.ref("afterschool_service.user_coordinator_demo")
        cls.coordinator.lang = "zh_CN"

    def test_menus_views_and_labels_read_chinese(self):
        env = self.env(
            user=self.coordinator, context={"lang": "zh_CN", "tz": "Asia/Shanghai"}
        )
        root = self.env.ref("afterschool_service.afterschool_menu_root")
        menus = env["ir.ui.menu"].load_menus(debug=False)
        ours = [
            menu
            for menu in menus.values()
            if isinstance(menu, dict) and menu.get("app_id") == root.id
        ]
        self.assertGreater(len(ours), 20, "the coordinator sees the whole app")
        IrModelData = self.env["ir.model.data"]
        our_views = set(
            IrModelData.search(
                [("module", "=", MODULE), ("model", "=", "ir.ui.view")]
            ).mapped("res_id")
        )
        our_fields = self.env["ir.model.fields"].browse(
            IrModelData.search(
                [("module", "=", MODULE), ("model", "=", "ir.model.fields")]
            ).mapped("res_id")
        )
        our_fields = {(field.model, field.name) for field in our_fields}
        # Options the addon defines (those of Odoo's mixins, e.g. the activity state, are Odoo's).
        our_options = {
            (option.field_id.model, option.field_id.name, option.value)
            for option in self.env["ir.model.fields.selection"].browse(
                IrModelData.search(
                    [
                        ("module", "=", MODULE),
                        ("model", "=", "ir.model.fields.selection"),
                    ]
                ).mapped("res_id")
            )
        }
        problems, checked_views = [], set()
        for menu in ours:
            problems += [
                "menu %r" % menu["name"] for __ in _english_words(menu["name"])[:1]
            ]
            if not (menu.get("action") or "").startswith("ir.actions.act_window,"):
                continue
            action = (
                env["ir.actions.act_window"]
                .sudo()
                .browse(int(menu["action"].split(",")[1]))
            )
            problems += [
                "action %r" % action.name for __ in _english_words(action.name)[:1]
            ]
            if action.help:
                help_text = etree.fromstring("<div>%s</div>" % action.help).xpath(
                    "string()"
                )
                problems += [
                    "help of %s: %r" % (action.name, word)
                    for word in _english_words(help_text)
                ]
            context = safe_eval(
                action.context or "{}",
                {
                    "uid": self.coordinator.id,
                    "allowed_company_ids": self.coordinator.company_ids.ids,
                },
            )
            Model = env[action.res_model].with_context(**context)
            views = [(view_id, mode) for view_id, mode in action.views] + [
                (action.search_view_id.id, "search")
            ]
            result = Model.get_views(views, {"toolbar": True})
            # The addon's own view parts, as they read in zh_CN (Odoo's own parts are Odoo's to translate).
            shown = (
                env["ir.ui.view"]
                .sudo()
                .browse(
                    view_id
                    for view_id in our_views
                    if self.env["ir.ui.view"].browse(view_id).model == action.res_model
                )
                .exists()
            )
            checked_views.update(shown.ids)
            for view in shown:
                for node in etree.fromstring(view.arch).iter():
                    if not isinstance(node.tag, str):
                        continue
                    texts = [node.get(attribute) for attribute in SHOWN_ATTRIBUTES] + [
                        node.text,
                        node.tail,
                    ]
                    problems += [
                        "view %s: %r in %r" % (view.name, word, text.strip()[:60])
                        for text in filter(None, texts)
                        for word in _english_words(text)
                    ]
            for model_name, model_info in result["models"].items():
                for field_name, field in model_info["fields"].items():
                    if (model_name, field_name) not in our_fields:
                        continue
                    label = field.get("string") or ""
                    problems += [
                        "%s.%s label %r" % (model_name, field_name, label)
                        for __ in _english_words(label)[:1]
                    ]
                    problems += [
                        "%s.%s option %r" % (model_name, field_name, option)
                        for value, option in field.get("selection") or []
                        if (model_name, field_name, value) in our_options
                        for __ in _english_words(option)[:1]
                    ]
        self.assertGreater(len(checked_views), 30, "the addon's views were read")
        self.assertIn(
            self.env.ref("afterschool_service.afterschool_application_view_form").id,
            checked_views,
        )
        problems = sorted(set(problems))
        self.assertFalse(
            problems,
            "English words of the addon in zh_CN:\n" + "\n".join(problems[:60]),
        )
