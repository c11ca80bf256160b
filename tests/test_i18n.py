"""Users are Chinese: every translatable term of the addon has a zh_CN translation."""

import os

import polib

from odoo.tools.translate import TranslationModuleReader

from .common import AfterschoolCase

PO_PATH = os.path.join(os.path.dirname(__file__), "..", "afterschool_service", "i18n", "zh_CN.po")


class TestTranslations(AfterschoolCase):
    def test_zh_cn_is_complete(self):
        translated = {entry.msgid for entry in polib.pofile(PO_PATH)
                      if entry.msgstr.strip() and "fuzzy" not in entry.flags}
        reader = TranslationModuleReader(self.env.cr, modules=["afterschool_service"])
        missing = sorted({row[4] for row in reader if row[0] == "afterschool_service"} - translated)
        self.assertFalse(
            missing,
            "%d term(s) lack a zh_CN translation; run scripts/i18n-update and translate them:\n%s"
            % (len(missing), "\n".join(missing[:50])),
        )

    def test_zh_cn_loads(self):
        """The Chinese file loads into Odoo and translates the app's menu."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "afterschool_service")])._update_translations("zh_CN")
        menu = self.env.ref("afterschool_service.afterschool_menu_root").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "课后服务")
