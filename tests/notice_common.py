"""Today's session of the chess club and two families: the family notices' fixtures."""

from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

from .service_common import ServiceCase


class NoticeCase(ServiceCase):
    """Today's session of the chess club (ended 20 minutes ago), two children and their families."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        cls.company.write(
            {
                "afterschool_coordinator_id": cls.manager.id,
                "phone": "010-5555",
                "email": "office@school.example.com",
            }
        )
        cls.mother.write(
            {"email": "mother@example.com", "lang": "zh_CN", "mobile": "13800000001"}
        )
        cls.father = env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "email": "father@example.com",
                "lang": "en_US",
                "mobile": "13900000002",
            }
        )
        cls.guardian_user = new_test_user(
            env,
            "as_notice_parent",
            name="Wang Fang",
            groups="base.group_portal",
            partner_id=cls.mother.id,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.child = cls.create_student(
            "Xiao Ming", guardians=cls.mother | cls.father, pickups=cls.grandpa
        )
        cls.sibling = cls.create_student("Xiao Hong", guardians=cls.mother)
        cls.lonely = cls.create_student(
            "Xiao Gang", guardians=cls.stranger
        )  # a guardian without any address
        local_now = datetime.now(cls.term._get_tz())
        if local_now.hour < 3:
            # before 03:00 at the school a session of today cannot have begun two hours ago: the
            # clock is set to 03:00 (the session below must be today's for its notices to go)
            at_three = local_now.replace(hour=3, minute=0, second=0, microsecond=0)
            cls.startClassPatcher(
                freeze_time(at_three.astimezone(pytz.utc).replace(tzinfo=None))
            )
        now = fields.Datetime.now().replace(microsecond=0)
        cls.today = datetime.now(cls.term._get_tz()).date()
        cls.sitting = env["afterschool.session"].create(
            {
                "group_id": cls.chess.id,
                "date": cls.today,
                "start": now - timedelta(hours=2),
                "stop": now - timedelta(minutes=20),
                "teacher_id": cls.teacher.id,
                "venue_id": cls.room_a.id,
                "duty_teacher_id": cls.teacher_2.id,
            }
        )
        env["afterschool.attendance"].create(
            [
                {"session_id": cls.sitting.id, "student_id": student.id}
                for student in cls.child | cls.sibling | cls.lonely
            ]
        )

    def line(self, student, session=None):
        return (session or self.sitting).attendance_ids.filtered(
            lambda line: line.student_id == student
        )

    def notices(self, **domain):
        """This school's notices (the demo school has its own)."""
        return self.env["afterschool.notice"].search(
            [("company_id", "=", self.company.id)]
            + [(name, "=", value) for name, value in domain.items()]
        )

    def deliver(self, minutes=2):
        """The delivery cron, once the hold has passed."""
        with freeze_time(fields.Datetime.now() + timedelta(minutes=minutes)):
            self.env["afterschool.notice"]._cron_deliver()

    def mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "afterschool.notice"), ("res_id", "in", self.notices().ids)]
        )
