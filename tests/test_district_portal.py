"""Families answer the needs survey and rate the groups through the portal (and the public code page)."""

from datetime import timedelta

from odoo import fields

from .portal_common import PortalCase


class TestDistrictPortal(PortalCase):
    other_class = "class_3a"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["afterschool.needs.survey"]._send_for_classes(cls.term, cls.class_3a)
        cls.surveys = cls.env["afterschool.needs.survey"].search(
            [("class_id", "=", cls.class_3a.id)]
        )
        cls.survey_a = cls.surveys.filtered(
            lambda survey: survey.student_id == cls.student
        )
        cls.survey_b = cls.surveys - cls.survey_a

    def test_guardian_answers_apply_and_goes_to_the_application(self):
        self.login(self.parent_a)
        page = self.url_open(f"/my/afterschool/student/{self.student.id}")
        self.assertIn(
            "Does your child need the after-school service this term?", page.text
        )
        response = self.post(
            f"/my/afterschool/survey/{self.survey_a.id}/answer", answer="apply"
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/my/afterschool/student/{self.student.id}/apply",
            response.headers["Location"],
        )
        self.assertEqual(
            (self.survey_a.state, self.survey_a.channel), ("apply", "portal")
        )

    def test_another_familys_survey_is_refused(self):
        self.login(self.parent_a)
        response = self.post(
            f"/my/afterschool/survey/{self.survey_b.id}/answer", answer="declined"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.survey_b.state, "pending")

    def test_the_code_page_for_families_without_the_portal(self):
        self.authenticate(None, None)
        self.assertEqual(self.url_open("/afterschool/survey").status_code, 200)
        page = self.post("/afterschool/survey", code="WRONG123", answer="apply")
        self.assertIn("This code cannot be used", page.text)
        page = self.post(
            "/afterschool/survey", code=self.survey_b.code, answer="declined"
        )
        self.assertIn("your answer is recorded", page.text)
        self.assertEqual(
            (self.survey_b.state, self.survey_b.channel), ("declined", "paper")
        )

    def test_rating_a_group_attended(self):
        self.enrol(self.create_application())
        start = fields.Datetime.now() - timedelta(days=7)
        session = self.env["afterschool.session"].create(
            {
                "group_id": self.reading.id,
                "date": start.date(),
                "start": start,
                "stop": start + timedelta(hours=1),
            }
        )
        self.env["afterschool.attendance"].create(
            {
                "session_id": session.id,
                "student_id": self.student.id,
                "state": "present",
            }
        )
        self.login(self.parent_a)
        self.assertNotIn(
            "How satisfied are you",
            self.url_open(f"/my/afterschool/student/{self.student.id}").text,
        )
        self.term.action_open_satisfaction()
        page = self.url_open(f"/my/afterschool/student/{self.student.id}")
        self.assertIn("How satisfied are you with this group?", page.text)
        self.assertIn("Reading Room", page.text)
        response = self.post(
            f"/my/afterschool/student/{self.student.id}/rate",
            group_id=str(self.reading.id),
            score="5",
            comment="Very good",
        )
        self.assertEqual(response.status_code, 303)
        rating = self.env["afterschool.satisfaction"].search(
            [("student_id", "=", self.student.id)]
        )
        self.assertEqual(
            (rating.score, rating.comment, rating.guardian_id),
            (5, "Very good", self.parent_a.partner_id),
        )
        self.assertNotIn(
            "How satisfied are you",
            self.url_open(f"/my/afterschool/student/{self.student.id}").text,
        )
        # another family cannot rate for this child
        self.login(self.parent_b)
        response = self.post(
            f"/my/afterschool/student/{self.student.id}/rate",
            group_id=str(self.reading.id),
            score="1",
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.env["afterschool.satisfaction"].search_count(
                [("student_id", "=", self.student.id)]
            ),
            1,
        )
