from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestDeadlines(EnforcementCase):
    """Statutory deadlines on the State Council holiday calendar (R4.1 timeliness)."""

    def setUp(self):
        super().setUp()
        self.calendar = self.env["hr.enforcement.holiday"]

    def test_working_days_skip_holidays_and_count_makeup_days(self):
        # Spring Festival 2026: days off 15-23 Feb, make-up working days Sat 14 and Sat 28 Feb.
        self.assertEqual(self.calendar._add_working_days(date(2026, 2, 13), 1), date(2026, 2, 14))
        self.assertEqual(self.calendar._add_working_days(date(2026, 2, 14), 1), date(2026, 2, 24))
        self.assertEqual(self.calendar._add_working_days(date(2026, 2, 27), 1), date(2026, 2, 28))
        # 2025: New Year's Day only, no bridging.
        self.assertEqual(self.calendar._add_working_days(date(2024, 12, 31), 1), date(2025, 1, 2))

    def test_calendar_days_roll_to_next_working_day(self):
        # 90 days after 5 July 2026 is 3 October, inside the National Day holiday -> 8 October.
        self.assertEqual(self.calendar._add_calendar_days(date(2026, 7, 5), 90), date(2026, 10, 8))
        self.assertEqual(self.calendar._add_calendar_days(date(2026, 3, 2), 3), date(2026, 3, 5))

    def test_holiday_periods_may_not_overlap(self):
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            self.calendar.create(
                {
                    "name": "Duplicate",
                    "date_from": "2026-10-03",
                    "date_to": "2026-10-04",
                    "notice": "x",
                }
            )

    def test_later_years_added_by_administrators(self):
        self.calendar.with_user(self.manager).create(
            {
                "name": "New Year 2027",
                "date_from": "2027-01-01",
                "date_to": "2027-01-01",
                "notice": "2027 notice",
            }
        )
        self.assertEqual(self.calendar._add_working_days(date(2026, 12, 31), 1), date(2027, 1, 4))
        with self.assertRaises(AccessError):
            self.calendar.with_user(self.officer).create(
                {"name": "x", "date_from": "2027-02-01", "date_to": "2027-02-01", "notice": "x"}
            )

    @freeze_time("2026-03-02")
    def test_investigation_deadline_60_working_days_extended_once(self):
        case = self._open_case()
        self.assertEqual(case.date_filed, date(2026, 3, 2))
        expected = self.calendar._add_working_days(date(2026, 3, 2), 60)
        self.assertEqual(case.investigation_deadline, expected)
        # Qingming (4-6 Apr) and Labour Day (1-5 May, make-up Sat 9 May) fall inside.
        self.assertEqual(expected, date(2026, 5, 28))
        self._approve(case, "investigation_extension", extension_days=30)
        self.assertEqual(
            case.investigation_deadline, self.calendar._add_working_days(date(2026, 3, 2), 90)
        )
        with self.assertRaisesRegex(UserError, "only once"):
            self._approve(case, "investigation_extension", extension_days=10)

    @freeze_time("2026-03-02")
    def test_extension_limits(self):
        case = self._open_case()
        with self.assertRaisesRegex(UserError, "30"):
            self._approve(case, "investigation_extension", extension_days=45)

    @freeze_time("2026-07-05")
    def test_penalty_decision_within_90_days_extended_by_approval(self):
        case = self._open_case()
        self.assertEqual(case.decision_deadline, date(2026, 10, 8))
        self._approve(case, "decision_extension", extension_days=30)
        self.assertEqual(
            case.decision_deadline, self.calendar._add_calendar_days(date(2026, 7, 5), 120)
        )
        inspection = self._open_case(enforcement_type="inspection")
        self.assertFalse(inspection.decision_deadline)

    @freeze_time("2026-03-02")
    def test_deadline_cannot_be_snoozed(self):
        case = self._open_case()
        deadline = case.next_deadline
        activity = case.activity_ids.filtered(lambda a: a.date_deadline == deadline)
        self.assertTrue(activity, "the handler is reminded of the deadline")
        activity.write({"date_deadline": "2026-12-31"})
        activity.action_done()
        case.invalidate_recordset()
        self.assertEqual(
            case.next_deadline, deadline, "activities remind; they never move the deadline"
        )
        for field in ("investigation_extension_days", "date_filed"):
            with self.assertRaisesRegex(UserError, "R3.1"):
                case.with_user(self.manager).write({field: 90 if "days" in field else "2026-06-01"})

    @freeze_time("2026-03-02")
    def test_overdue_filter_uses_stored_deadline(self):
        case = self._open_case()
        Case = self.env["hr.enforcement.case"]
        self.assertNotIn(case, Case.search([("next_deadline", "<", "2026-03-02")]))
        with freeze_time("2026-06-01"):
            self.assertIn(case, Case.search([("next_deadline", "<", "2026-06-01")]))
