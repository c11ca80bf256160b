"""get_service_dates(): weekdays, closures, public holidays, make-up days (调休) and term boundaries."""

from datetime import date, datetime

from odoo import Command

from .common import AfterschoolCase


class TestServiceDates(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id

    def september_term(self, **values):
        """September 2026, Tuesday to Friday: 18 service days (1 September is a Tuesday)."""
        return self.create_term(
            date_start=date(2026, 9, 1),
            date_end=date(2026, 9, 30),
            window_ids=[],
            **values,
        )

    def add_public_holiday(self, date_from, date_to, **values):
        """A company-wide time off on the school's calendar; datetimes are UTC (Shanghai is UTC+8)."""
        return self.env["resource.calendar.leaves"].create(
            dict(
                {
                    "name": "Mid-Autumn Festival",
                    "calendar_id": self.calendar.id,
                    "date_from": date_from,
                    "date_to": date_to,
                },
                **values,
            )
        )

    def test_weekdays_only(self):
        dates = self.september_term().get_service_dates()
        self.assertEqual(len(dates), 18)
        self.assertEqual(
            dates[:5],
            ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-08"],
        )
        self.assertEqual(dates[-1], "2026-09-30")
        self.assertTrue(
            all(date.fromisoformat(d).weekday() in (1, 2, 3, 4) for d in dates)
        )

    def test_other_weekdays(self):
        term = self.september_term(
            mon=True, tue=False, wed=False, thu=False, fri=False, sat=True
        )
        self.assertEqual(
            term.get_service_dates()[:3], ["2026-09-05", "2026-09-07", "2026-09-12"]
        )
        self.assertEqual(term.service_date_count, 8)

    def test_term_boundaries_are_included(self):
        term = self.create_term(
            date_start=date(2026, 9, 2), date_end=date(2026, 9, 8), window_ids=[]
        )
        self.assertEqual(
            term.get_service_dates(),
            ["2026-09-02", "2026-09-03", "2026-09-04", "2026-09-08"],
        )
        one_day = self.create_term(
            name="One Day",
            date_start=date(2026, 9, 8),
            date_end=date(2026, 9, 8),
            window_ids=[],
        )
        self.assertEqual(one_day.get_service_dates(), ["2026-09-08"])
        weekend = self.create_term(
            name="Weekend",
            date_start=date(2026, 9, 5),
            date_end=date(2026, 9, 7),
            window_ids=[],
        )
        self.assertEqual(weekend.get_service_dates(), [])

    def test_closures(self):
        term = self.september_term(
            closure_ids=[
                Command.create(
                    {
                        "name": "Sports Week",
                        "date_from": date(2026, 9, 15),
                        "date_to": date(2026, 9, 18),
                    }
                ),
                Command.create(
                    {
                        "name": "Exam Day",
                        "date_from": date(2026, 9, 30),
                        "date_to": date(2026, 10, 2),
                    }
                ),
            ]
        )
        dates = term.get_service_dates()
        self.assertEqual(len(dates), 18 - 4 - 1)
        self.assertFalse(
            {"2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18", "2026-09-30"}
            & set(dates)
        )
        self.assertIn("2026-09-29", dates)
        self.assertEqual(term.service_date_count, 13)

    def test_public_holiday_in_school_timezone(self):
        """Friday 25 September in Shanghai runs from 24 September 16:00 to 25 September 16:00 UTC."""
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 9, 24, 16, 0), datetime(2026, 9, 25, 15, 59, 59)
        )
        dates = term.get_service_dates()
        self.assertNotIn("2026-09-25", dates)
        self.assertIn("2026-09-24", dates)
        self.assertEqual(len(dates), 17)

    def test_public_holiday_over_several_days(self):
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 9, 21, 16, 0), datetime(2026, 9, 25, 15, 59, 59)
        )
        self.assertEqual(len(term.get_service_dates()), 18 - 4)
        self.assertFalse(
            {"2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"}
            & set(term.get_service_dates())
        )

    def test_public_holiday_without_calendar(self):
        """A company-wide time off not tied to a calendar also closes the school."""
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 9, 24, 16, 0),
            datetime(2026, 9, 25, 15, 59, 59),
            calendar_id=False,
            company_id=self.company.id,
        )
        self.assertNotIn("2026-09-25", term.get_service_dates())

    def test_personal_time_off_is_not_a_holiday(self):
        resource = self.env["resource.resource"].create(
            {
                "name": "A Teacher",
                "calendar_id": self.calendar.id,
                "company_id": self.company.id,
            }
        )
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 9, 24, 16, 0),
            datetime(2026, 9, 25, 15, 59, 59),
            resource_id=resource.id,
        )
        self.assertIn("2026-09-25", term.get_service_dates())

    def test_other_schools_holiday_is_ignored(self):
        other = self.env["res.company"].create({"name": "Other School"})
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 9, 24, 16, 0),
            datetime(2026, 9, 25, 15, 59, 59),
            calendar_id=other.resource_calendar_id.id,
        )
        self.assertIn("2026-09-25", term.get_service_dates())

    def test_holidays_outside_the_term_are_ignored(self):
        term = self.september_term()
        self.add_public_holiday(
            datetime(2026, 8, 31, 0, 0), datetime(2026, 8, 31, 15, 59, 59)
        )
        self.add_public_holiday(
            datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 7, 15, 59, 59)
        )
        self.assertEqual(len(term.get_service_dates()), 18)

    def test_makeup_day_following_a_service_weekday(self):
        """Saturday 26 September follows Tuesday's timetable: the Tuesday groups meet."""
        term = self.september_term(
            makeup_ids=[Command.create({"date": date(2026, 9, 26), "weekday": "1"})]
        )
        dates = term.get_service_dates()
        self.assertIn("2026-09-26", dates)
        self.assertEqual(len(dates), 19)
        self.assertEqual(dates, sorted(dates))
        self.assertEqual(term._get_service_schedule()[date(2026, 9, 26)], 1)
        self.assertEqual(term._get_service_schedule()[date(2026, 9, 25)], 4)

    def test_makeup_day_following_a_day_without_service(self):
        """Sunday 27 September follows Monday's timetable: no after-school service on Mondays."""
        term = self.september_term(
            makeup_ids=[Command.create({"date": date(2026, 9, 27), "weekday": "0"})]
        )
        self.assertNotIn("2026-09-27", term.get_service_dates())
        self.assertEqual(len(term.get_service_dates()), 18)

    def test_makeup_day_counts_only_while_its_weekday_is_served(self):
        term = self.september_term(
            makeup_ids=[Command.create({"date": date(2026, 9, 26), "weekday": "1"})]
        )
        term.tue = False
        dates = term.get_service_dates()
        self.assertNotIn("2026-09-26", dates)
        self.assertNotIn("2026-09-01", dates)
        self.assertEqual(len(dates), 18 - 5)

    def test_makeup_day_on_a_school_day_follows_another_timetable(self):
        """A Wednesday declared to follow Monday's timetable has no service (Mondays have none)."""
        term = self.september_term(
            makeup_ids=[Command.create({"date": date(2026, 9, 30), "weekday": "0"})]
        )
        self.assertNotIn("2026-09-30", term.get_service_dates())

    def test_national_day_autumn_term(self):
        """The demo school's calendar: the whole term with its holidays and 调休."""
        term = self.create_term(
            date_end=date(2027, 1, 22),
            closure_ids=[
                Command.create(
                    {
                        "name": "National Day",
                        "date_from": date(2026, 10, 1),
                        "date_to": date(2026, 10, 7),
                    }
                )
            ],
            makeup_ids=[
                Command.create({"date": date(2026, 9, 20), "weekday": "0"}),
                Command.create({"date": date(2026, 10, 10), "weekday": "1"}),
            ],
        )
        self.add_public_holiday(
            datetime(2026, 9, 24, 16, 0), datetime(2026, 9, 27, 15, 59, 59)
        )
        self.add_public_holiday(
            datetime(2026, 12, 31, 16, 0), datetime(2027, 1, 3, 15, 59, 59)
        )
        dates = term.get_service_dates()
        # 84 Tuesdays to Fridays, minus 4 in National Day week, Mid-Autumn Friday and New Year's Day,
        # plus Saturday 10 October.
        self.assertEqual(len(dates), 84 - 4 - 1 - 1 + 1)
        self.assertEqual(term.service_date_count, 79)
        self.assertIn("2026-10-10", dates)
        self.assertNotIn("2026-09-20", dates)
        self.assertEqual((dates[0], dates[-1]), ("2026-09-01", "2027-01-22"))
