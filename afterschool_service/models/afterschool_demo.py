import random
from datetime import date, timedelta

from odoo import Command, api, models

# The day the demo school's dates were written for (a Tuesday of its autumn term, with three months of
# history behind it). Installed on another day, the demo moves by whole weeks so that this day falls
# in the install's week: weekdays, windows and closures keep their places relative to each other.
DEMO_ANCHOR_DAY = date(2026, 12, 8)
# Demo records that carry the term's dates: (table, date columns, xml ids' model).
DEMO_DATED_TABLES = (
    ("afterschool_term", ("date_start", "date_end"), "afterschool.term"),
    ("afterschool_term_window", ("date_from", "date_to"), "afterschool.term.window"),
    ("afterschool_term_closure", ("date_from", "date_to"), "afterschool.term.closure"),
    ("afterschool_term_makeup", ("date",), "afterschool.term.makeup"),
    ("resource_calendar_leaves", ("date_from", "date_to"), "resource.calendar.leaves"),
)

# Common surnames and given names, so that the demo school's families look real.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹熊白孟秦邱侯江尹薛段雷龙黎史陶贺毛郝顾龚邵万钱戴严莫孔常汤康"
)
CHILD_NAMES = (
    "子轩",
    "浩然",
    "宇轩",
    "梓豪",
    "俊熙",
    "博文",
    "一鸣",
    "皓轩",
    "沐宸",
    "子墨",
    "嘉懿",
    "思远",
    "明哲",
    "睿泽",
    "天佑",
    "浩宇",
    "铭轩",
    "承泽",
    "君浩",
    "奕辰",
    "宇航",
    "梓睿",
    "晨阳",
    "泽宇",
    "梓涵",
    "一诺",
    "欣怡",
    "诗涵",
    "若汐",
    "语桐",
    "可馨",
    "雨萱",
    "梓萱",
    "思琪",
    "佳怡",
    "紫涵",
    "梦瑶",
    "依诺",
    "欣妍",
    "芷若",
    "婉清",
    "静怡",
    "雨彤",
    "安琪",
    "沐晴",
    "悦溪",
    "清妍",
    "睿",
    "萱",
    "琳",
    "哲",
    "彤",
    "航",
)
FATHER_NAMES = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "斌",
    "超",
    "明",
    "刚",
    "鹏",
    "辉",
    "波",
    "亮",
    "建华",
    "志强",
    "海峰",
    "文杰",
    "俊峰",
    "晓东",
    "永刚",
    "立新",
    "国栋",
    "振宇",
)
MOTHER_NAMES = (
    "娜",
    "芳",
    "敏",
    "静",
    "丽",
    "艳",
    "婷",
    "霞",
    "燕",
    "娟",
    "颖",
    "琳",
    "晶",
    "慧",
    "雪",
    "丽娟",
    "秀梅",
    "晓燕",
    "海燕",
    "春梅",
    "红霞",
    "美玲",
    "婉婷",
    "雅琴",
    "文静",
)
GRANDFATHER_NAMES = (
    "建国",
    "国强",
    "德福",
    "宝山",
    "志明",
    "长青",
    "振华",
    "福生",
    "永福",
    "金水",
)
GRANDMOTHER_NAMES = (
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "凤英",
    "淑珍",
    "玉珍",
    "翠花",
    "素芬",
)
MOBILE_PREFIXES = ("138", "139", "136", "158", "186", "187", "159", "135", "189", "177")

LEFT_BEHIND_RATE = 0.08
HARDSHIP_RATE = 0.06
FULL_WAIVER_SHARE = 0.35
SINGLE_GUARDIAN_RATE = 0.06
SIBLING_RATE = 0.05
PICKUP_RATE = 0.15


class AfterschoolDemo(models.AbstractModel):
    """Builds the demo school's students and families; called from the demo data only."""

    _name = "afterschool.demo"
    _description = "After-School Demo Data"

    @api.model
    def _create_students(
        self, company_id, per_class=25, seed=2026, xmlid_prefix="res_partner"
    ):
        """Fill every class of the school up to ``per_class`` students, with their families.

        Deterministic (seeded), batched (one create per kind of contact), and every contact gets
        an xml id (``res_partner_student_<grade>_<class>_<nn>_demo``, ``res_partner_guardian_…``,
        ``res_partner_pickup_…``) so that the demo can be referenced and is removed on uninstall.
        """
        rng = random.Random(seed)
        company = self.env["res.company"].browse(company_id)
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        classes = self.env["afterschool.class"].search(
            [("company_id", "=", company.id)], order="grade, name"
        )
        existing = Partner.search(
            [("is_student", "=", True), ("company_id", "=", company.id)]
        )
        families, children = self._plan_student_families(
            rng, classes, per_class, set(existing.mapped("name"))
        )
        # The families speak the language the demo is built in (zh_CN, see _speak_chinese), so that what
        # is composed for them meanwhile (agreements, notices) is in it; res.partner's default is en_US.
        common = {"company_id": company.id, "lang": self.env.lang or "en_US"}
        xmlids = self._create_family_contacts(Partner, families, common, xmlid_prefix)
        students = self._create_family_children(Partner, children, common)
        self._set_demo_care_notes(students, seed)
        xmlids += [
            ("%s_student_%s_demo" % (xmlid_prefix, child["key"]), student)
            for child, student in zip(children, students)
        ]
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "afterschool_service.%s" % name,
                    "record": record,
                    "noupdate": True,
                }
                for name, record in xmlids
            ]
        )
        return students.ids

    @api.model
    def _plan_student_families(self, rng, classes, per_class, names):
        """The families and children to create (dicts, nothing written yet): each class filled up to
        ``per_class``, a few children the younger sibling of one in a higher grade, no name twice.

        Draws from ``rng`` in a fixed order, so that a seed always gives the same school.
        """
        counts = {
            school_class: len(school_class.student_ids) for school_class in classes
        }
        rank_in_grade = {}
        families, children = [], []
        for school_class in classes:
            rank = rank_in_grade[school_class.grade] = (
                rank_in_grade.get(school_class.grade, 0) + 1
            )
            for number in range(counts[school_class] + 1, per_class + 1):
                key = "%s_%s_%02d" % (school_class.grade, rank, number)
                older = [
                    f
                    for f in families
                    if len(f["children"]) == 1 and f["grade"] < school_class.grade
                ]
                if older and rng.random() < SIBLING_RATE:
                    family = rng.choice(older)
                else:
                    family = self._make_family(rng, school_class.grade)
                    families.append(family)
                name = family["surname"] + rng.choice(CHILD_NAMES)
                while name in names:
                    name = family["surname"] + rng.choice(CHILD_NAMES)
                names.add(name)
                child = {
                    "key": key,
                    "name": name,
                    "class": school_class,
                    "family": family,
                }
                family["children"].append(child)
                children.append(child)
        return families, children

    @api.model
    def _create_family_contacts(self, Partner, families, common, xmlid_prefix):
        """The guardians and pickup persons of ``families``, one create per kind of contact; each
        family gets its records, and the list of (xml id name, record) is returned."""
        guardian_vals = [
            dict(vals, **common) for f in families for vals in f["guardians"]
        ]
        pickup_vals = [dict(vals, **common) for f in families for vals in f["pickups"]]
        guardians = iter(Partner.create(guardian_vals))
        pickups = iter(Partner.create(pickup_vals))
        xmlids = []
        for family in families:
            family["guardian_records"] = [
                next(guardians) for _vals in family["guardians"]
            ]
            family["pickup_records"] = [next(pickups) for _vals in family["pickups"]]
            first = family["children"][0]["key"]
            for index, guardian in enumerate(family["guardian_records"], 1):
                xmlids.append(
                    ("%s_guardian_%s_%s_demo" % (xmlid_prefix, first, index), guardian)
                )
            for index, person in enumerate(family["pickup_records"], 1):
                xmlids.append(
                    ("%s_pickup_%s_%s_demo" % (xmlid_prefix, first, index), person)
                )
        return xmlids

    @api.model
    def _create_family_children(self, Partner, children, common):
        """The students of ``children`` in one create, linked to their family's guardians (the first
        one invoiced) and pickup persons, with the family's situation."""
        return Partner.create(
            [
                {
                    "name": child["name"],
                    "is_student": True,
                    "class_id": child["class"].id,
                    "company_id": common["company_id"],
                    "lang": common["lang"],
                    "guardian_ids": [
                        Command.set([g.id for g in child["family"]["guardian_records"]])
                    ],
                    "invoice_guardian_id": child["family"]["guardian_records"][0].id,
                    "authorized_pickup_ids": [
                        Command.set([p.id for p in child["family"]["pickup_records"]])
                    ],
                    "left_behind": child["family"]["left_behind"],
                    "financial_hardship": bool(child["family"]["fee_waiver_percent"]),
                    "fee_waiver_percent": child["family"]["fee_waiver_percent"],
                }
                for child in children
            ]
        )

    @api.model
    def _set_demo_care_notes(self, students, seed):
        """Every child has an emergency contact (a pickup person, else the other guardian); a few have
        health notes. A random generator of its own, so that the families stay as they were."""
        rng = random.Random(seed + 1)
        notes = (
            self.env._("Peanut allergy: no nuts in snacks."),
            self.env._("Asthma: the inhaler is in the school bag."),
            self.env._("Lactose intolerant."),
            self.env._("Wears glasses; sits in the front row."),
        )
        for student in students:
            contact = (
                student.authorized_pickup_ids
                or student.guardian_ids[1:]
                or student.guardian_ids
            )[:1]
            values = {
                "emergency_contact": "%s %s" % (contact.name, contact.mobile or "")
            }
            if rng.random() < 0.08:
                values["health_notes"] = rng.choice(notes)
            student.write(values)

    @api.model
    def _make_family(self, rng, grade):
        """One family: guardians (the invoice guardian first), pickup persons and its situation."""
        surname = rng.choice(SURNAMES)

        def person(given_names, family_name=None):
            return {
                "name": (family_name or rng.choice(SURNAMES)) + rng.choice(given_names),
                "mobile": "%s %04d %04d"
                % (
                    rng.choice(MOBILE_PREFIXES),
                    rng.randrange(10000),
                    rng.randrange(10000),
                ),
            }

        father, mother = person(FATHER_NAMES, surname), person(MOTHER_NAMES)
        grandmother, grandfather = (
            person(GRANDMOTHER_NAMES),
            person(GRANDFATHER_NAMES, surname),
        )
        left_behind = rng.random() < LEFT_BEHIND_RATE
        hardship = rng.random() < (HARDSHIP_RATE * 2 if left_behind else HARDSHIP_RATE)
        pickups = []
        if left_behind:
            # Parents work far away: the grandparents look after the child and pay.
            guardians = [grandmother, father]
            pickups = [grandfather]
        elif rng.random() < SINGLE_GUARDIAN_RATE:
            guardians = [mother]
        else:
            guardians = [mother, father] if rng.random() < 0.7 else [father, mother]
            if rng.random() < PICKUP_RATE:
                pickups = [rng.choice([grandmother, grandfather])]
        return {
            "surname": surname,
            "grade": grade,
            "guardians": guardians,
            "pickups": pickups,
            "left_behind": left_behind,
            "fee_waiver_percent": (100.0 if rng.random() < FULL_WAIVER_SHARE else 50.0)
            if hardship
            else 0.0,
            "children": [],
        }

    @api.model
    def _speak_chinese(self, company_id):
        """The demo school reads Chinese: zh_CN active (weeks from Monday, times as 17:45), the addon's
        Chinese terms loaded, the school(s), their users and their families in zh_CN and Asia/Shanghai.

        Called early in the demo (before the records that compose texts: applications, sessions,
        notices) and again at its end for the users and families created meanwhile. Odoo loads a
        module's .po only after all its data, so the addon's terms (activity types, mail templates,
        agreement template, selections, the demo's groups and venues) are loaded here, so that what the
        demo's builders compose with ``lang='zh_CN'`` is Chinese. Odoo's own Chinese terms come with
        ``--load-language=zh_CN`` (scripts/run)."""
        lang = self._activate_chinese()
        self.env["ir.module.module"]._load_module_terms(
            ["afterschool_service"], [lang.code]
        )
        # The importer writes with SQL: forget what was read before.
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        companies = self.env["res.company"].browse(company_id)
        chinese = {"lang": lang.code, "tz": "Asia/Shanghai"}
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        )
        # Not the administrator (the demo makes the school their company): a demo leaves the
        # database's administrator as it was; scripts/run sets them for the demo's own database.
        admin = self.env.ref("base.user_admin")
        (users - admin).write(chinese)
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
        )
        (partners - admin.partner_id | companies.partner_id).write(chinese)

    @api.model
    def _move_demo_term_to_today(self):
        """Move the demo term (windows, closures, make-up days, the school's public holidays) by whole
        weeks so that the install day sits where ``DEMO_ANCHOR_DAY`` was: the demo is a live term, with
        history, on whatever day it is installed. Before anything is planned on it; dates only, so SQL."""
        company = self.env.ref("afterschool_service.res_company_demo")
        shift = (company._afterschool_today() - DEMO_ANCHOR_DAY).days // 7 * 7
        term = self.env.ref("afterschool_service.afterschool_term_demo")
        planned = self.env["afterschool.session"].search_count(
            [("term_id", "=", term.id)], limit=1
        )
        if not shift or planned:
            return
        for table, columns, model in DEMO_DATED_TABLES:
            ids = (
                self.env["ir.model.data"]
                .sudo()
                .search([("module", "=", "afterschool_service"), ("model", "=", model)])
                .mapped("res_id")
            )
            assignments = ", ".join(
                f"{column} = {column} + %(shift)s" for column in columns
            )
            self.env.cr.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ANY(%(ids)s)",  # noqa: S608 -- constant names
                {"shift": timedelta(days=shift), "ids": ids},
            )
        self.env.invalidate_all()

    @api.model
    def _activate_chinese(self):
        """zh_CN active as a Chinese school writes it (weeks from Monday, times as 17:45), first thing in
        the demo: the demo's builders run with ``lang='zh_CN'`` and Odoo refuses an inactive language."""
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        lang.write(
            {"week_start": "1", "time_format": "%H:%M:%S", "short_time_format": "%H:%M"}
        )
        return lang
