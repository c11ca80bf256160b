"""Users are Chinese: every term the addon shows comes out in Chinese, loaded the way Odoo loads it.

Three checks that together cannot be fooled:

* the committed ``.pot`` is exactly what Odoo's export produces from the code and data now (a term,
  a reference or an ``odoo-python`` flag that changed makes it stale: run ``scripts/i18n-update``);
* ``zh_CN.po`` holds every term of the ``.pot`` with the same flags and a translation, and nothing else;
* with zh_CN loaded by Odoo itself (``_update_translations``), every term read back through the ORM
  (field labels and help, selections, menus, actions, views, reports, portal and mail templates) or
  through Odoo's code translations (Python messages, XLSX headers) is the Chinese one.
"""

import os
import re
from collections import defaultdict

import polib

from odoo.tools.translate import TranslationModuleReader, code_translations

from .common import AfterschoolCase

MODULE = "afterschool_service"
I18N_DIR = os.path.join(os.path.dirname(__file__), "..", MODULE, "i18n")
POT_PATH = os.path.join(I18N_DIR, MODULE + ".pot")
PO_PATH = os.path.join(I18N_DIR, "zh_CN.po")
CJK = re.compile(r"[\u3400-\u9fff]")
# Terms whose translation rightly holds no Chinese character (acronyms, proper names).
NOT_CHINESE = {"ID"}
# What is not a word: placeholders, markup, entities.
NOT_WORDS = re.compile(r"%\(\w+\)s|%s|\{\{.*?\}\}|<[^>]*>|&\w+;|\bt-\w+=\"[^\"]*\"")


def _has_words(text):
    """Whether a term holds words to translate once placeholders and markup are removed."""
    return bool(re.search(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", text)))


def _comment_lines(comment):
    """The extracted comments of a PO entry that Odoo reads (odoo-python, odoo-javascript), without the module line."""
    return frozenset(
        line.strip()
        for line in (comment or "").splitlines()
        if line.strip() and not line.startswith("module")
    )


def _occurrence(ttype, name, res_id):
    """A reference as Odoo's PoFileWriter writes it (line numbers are always 0)."""
    if ttype == "code":
        return "code:%s:0" % name
    return "%s:%s:%s" % (ttype, name, res_id)


def _entry_occurrences(entry):
    return frozenset(
        "%s:%s" % (ref, line or "") if ref.startswith("code:") else ref
        for ref, line in entry.occurrences
    )


class TestTranslations(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What Odoo's export (scripts/i18n-update) writes for the addon now: {msgid: rows}.
        cls.exported = defaultdict(list)
        for (
            module,
            ttype,
            name,
            res_id,
            src,
            _value,
            comments,
        ) in TranslationModuleReader(cls.env.cr, modules=[MODULE]):
            if module == MODULE:
                cls.exported[src].append((ttype, name, res_id, tuple(comments)))
        cls.pot = {entry.msgid: entry for entry in polib.pofile(POT_PATH)}
        cls.po = {entry.msgid: entry for entry in polib.pofile(PO_PATH)}

    def test_pot_is_current(self):
        """The committed .pot is what Odoo exports from the code and data: terms, references, flags."""
        problems = []
        for msgid in sorted(set(self.exported) - set(self.pot)):
            problems.append("not in the .pot: %r" % msgid[:80])
        for msgid in sorted(set(self.pot) - set(self.exported)):
            problems.append("in the .pot but no longer used: %r" % msgid[:80])
        for msgid in sorted(set(self.pot) & set(self.exported)):
            rows = self.exported[msgid]
            occurrences = frozenset(
                _occurrence(ttype, name, res_id) for ttype, name, res_id, _c in rows
            )
            comments = frozenset(c for *_r, row_comments in rows for c in row_comments)
            entry = self.pot[msgid]
            if _entry_occurrences(entry) != occurrences:
                problems.append(
                    "references differ for %r: %s"
                    % (msgid[:60], sorted(occurrences ^ _entry_occurrences(entry))[:3])
                )
            if _comment_lines(entry.comment) != comments:
                problems.append(
                    "flags differ for %r: .pot %s, export %s"
                    % (
                        msgid[:60],
                        sorted(_comment_lines(entry.comment)),
                        sorted(comments),
                    )
                )
        self.assertFalse(
            problems,
            "The .pot is stale (run scripts/i18n-update):\n" + "\n".join(problems[:40]),
        )

    def test_po_follows_pot(self):
        """zh_CN.po translates every .pot term, carries its flags (odoo-python!) and holds nothing else."""
        problems = []
        for msgid, template in self.pot.items():
            entry = self.po.get(msgid)
            if entry is None:
                problems.append("missing from zh_CN.po: %r" % msgid[:80])
                continue
            if not entry.msgstr.strip() or "fuzzy" in entry.flags:
                problems.append("not translated: %r" % msgid[:80])
            if _comment_lines(entry.comment) != _comment_lines(template.comment):
                problems.append(
                    "flags differ from the .pot for %r: %s"
                    % (msgid[:60], sorted(_comment_lines(template.comment)))
                )
            if _entry_occurrences(entry) != _entry_occurrences(template):
                problems.append("references differ from the .pot for %r" % msgid[:60])
            if msgid.count("%(") != entry.msgstr.count("%(") or set(
                re.findall(r"%\((\w+)\)", msgid)
            ) != set(re.findall(r"%\((\w+)\)", entry.msgstr)):
                problems.append("placeholders differ for %r" % msgid[:60])
            if (
                _has_words(msgid)
                and not CJK.search(entry.msgstr)
                and msgid not in NOT_CHINESE
            ):
                problems.append(
                    "no Chinese in the translation of %r: %r"
                    % (msgid[:60], entry.msgstr[:40])
                )
        for msgid in sorted(set(self.po) - set(self.pot)):
            problems.append(
                "in zh_CN.po but not in the .pot (Odoo may never use it): %r"
                % msgid[:80]
            )
        self.assertFalse(
            problems,
            "%d problem(s) in zh_CN.po:\n%s"
            % (len(problems), "\n".join(problems[:60])),
        )

    def test_every_term_reads_chinese(self):
        """With zh_CN loaded as Odoo loads it, every exported term reads back as its Chinese translation."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations("zh_CN", overwrite=True)
        python = code_translations.get_python_translations(MODULE, "zh_CN")
        web = {
            m["id"]: m["string"]
            for m in code_translations.get_web_translations(MODULE, "zh_CN")["messages"]
        }
        env = self.env(context=dict(self.env.context, lang="zh_CN", active_test=False))
        problems = []
        for msgid, rows in sorted(self.exported.items()):
            wanted = self.po[msgid].msgstr if msgid in self.po else ""
            for ttype, name, res_id, comments in rows:
                if ttype == "code":
                    if "odoo-python" in comments and not python.get(msgid):
                        problems.append(
                            "Python message stays English: %r (%s)" % (msgid[:60], name)
                        )
                    if "odoo-javascript" in comments and not web.get(msgid):
                        problems.append(
                            "web term stays English: %r (%s)" % (msgid[:60], name)
                        )
                    continue
                model, field_name = name.split(",")
                record = env.ref(res_id, raise_if_not_found=False)
                if not record:
                    problems.append("record %s not found for %r" % (res_id, msgid[:60]))
                    continue
                value = record[field_name]
                field = record._fields[field_name]
                if ttype == "model":
                    shown = value
                else:
                    shown = [str(term) for term in field.get_trans_terms(value or "")]
                if not wanted or (
                    wanted != shown if ttype == "model" else wanted not in shown
                ):
                    problems.append(
                        "%s %s shows %r for %r"
                        % (
                            res_id,
                            field_name,
                            (shown if ttype == "model" else "English"),
                            msgid[:60],
                        )
                    )
        self.assertFalse(
            problems,
            "%d term(s) do not come out in Chinese:\n%s"
            % (len(problems), "\n".join(problems[:60])),
        )

    def test_field_labels_and_selections_read_chinese(self):
        """What forms and lists show: fields_get of every addon model in zh_CN has Chinese labels and options."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations("zh_CN", overwrite=True)
        IrModelData = self.env["ir.model.data"]
        field_ids = IrModelData.search(
            [("module", "=", MODULE), ("model", "=", "ir.model.fields")]
        ).mapped("res_id")
        fields_data = self.env["ir.model.fields"].browse(field_ids)
        # Options the addon defines (not those of Odoo's mixins, translated by their own module).
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
        problems = []
        for model_name in sorted(set(fields_data.mapped("model"))):
            ours = fields_data.filtered(
                lambda f, model_name=model_name: f.model == model_name
            ).mapped("name")
            described = (
                self.env[model_name]
                .with_context(lang="zh_CN")
                .fields_get(ours, ["string", "selection"])
            )
            for fname, info in described.items():
                if (
                    not CJK.search(info.get("string") or "")
                    and info.get("string") not in NOT_CHINESE
                ):
                    problems.append(
                        "%s.%s: %r" % (model_name, fname, info.get("string"))
                    )
                for key, label in info.get("selection") or []:
                    if (
                        (model_name, fname, key) in our_options
                        and _has_words(label)
                        and not CJK.search(label)
                    ):
                        problems.append("%s.%s option %r" % (model_name, fname, label))
        self.assertFalse(
            problems,
            "%d label(s) stay English in zh_CN:\n%s"
            % (len(problems), "\n".join(problems[:60])),
        )

    def test_glossary(self):
        """The translation uses the words of i18n/GLOSSARY.md, the same in the back office and the portal."""
        forbidden = {
            "活动组": "活动小组",  # activity group: 活动小组 everywhere (活动小组 does not contain 活动组)
            "安置": "分配",  # placement of pupils
            "协调人": "负责人",  # coordinator
            "协调员": "负责人",
            "时间段": "服务时段",  # time window
            "已入选": "已入组",  # enrolled
        }
        exact = {
            "Close": "关闭",
            "Service Days": "服务日",
            "Place Students": "分配名额",
            "Activity Group": "活动小组",
            "Activity Groups": "活动小组",
            "Coordinator": "负责人",
        }
        problems = []
        for msgid, entry in self.po.items():
            for wrong, right in forbidden.items():
                if wrong in entry.msgstr:
                    problems.append(
                        "%r says %s, the glossary says %s" % (msgid[:50], wrong, right)
                    )
            if "结案" in entry.msgstr and "incident" not in msgid.lower():
                problems.append(
                    "%r says 结案, which is for incidents only" % msgid[:50]
                )
            if msgid in exact and entry.msgstr != exact[msgid]:
                problems.append(
                    "%r is %s, the glossary says %s"
                    % (msgid, entry.msgstr, exact[msgid])
                )
        self.assertFalse(problems, "\n".join(problems))
