from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..periods import CALENDAR, MONTHS, PERIODS, WORKING
from .common import EnforcementCase

# 国务院办公厅关于2026年部分节假日安排的通知, written out here so that the expected dates do not
# come from the calendar under test: 国庆节 1–7 October off, Sunday 20 September and Saturday
# 10 October make-up working days (调休上班); 中秋节 25–27 September off.


@tagged("post_install", "-at_install")
class TestPeriods(EnforcementCase):
    """One test per row of the table of periods (periods.py): the statute's length and unit,
    and the last day across the 2026 National Day holiday and its make-up working days."""

    def setUp(self):
        super().setUp()
        self.calendar = self.env["hr.enforcement.holiday"]

    def _row(self, key, amount, unit, start, expected):
        period = PERIODS[key]
        self.assertEqual((period.amount, period.unit), (amount, unit), period.statute)
        self.assertEqual(self.calendar._period_end(key, start), expected, key)

    # ------------------------------------------------------------------ working days
    def test_complaint_decision_5_working_days_r7_2(self):
        """关于实施《劳动保障监察条例》若干规定 第十八条: 9/30, 10/8, 10/9, Sat 10/10, 10/12."""
        self._row("complaint_decision", 5, WORKING, date(2026, 9, 29), date(2026, 10, 12))
        case = self._create_case(origin="complaint", date_received="2026-09-29")
        self.assertEqual(case.complaint_decision_deadline, date(2026, 10, 12))

    def test_statement_3_working_days_by_default_r16_1(self):
        """行政处罚法 第四十四条、第八十五条: 9/30, 10/8, 10/9."""
        self._row("statement", 3, WORKING, date(2026, 9, 29), date(2026, 10, 9))

    def test_hearing_request_5_working_days_r13_1(self):
        """行政处罚法 第六十四条第一项、第八十五条."""
        self._row("hearing_request", 5, WORKING, date(2026, 9, 29), date(2026, 10, 12))

    def test_hearing_notice_7_working_days_r10_1(self):
        """行政处罚法 第六十四条第二项: 9/30, 10/8, 10/9, Sat 10/10, 10/12, 10/13, 10/14."""
        self._row("hearing_notice", 7, WORKING, date(2026, 9, 29), date(2026, 10, 14))

    def test_penalty_service_7_working_days_r14_1(self):
        """行政处罚法 第六十一条 with 第八十五条: working days, not calendar days."""
        self._row("penalty_service", 7, WORKING, date(2026, 9, 29), date(2026, 10, 14))

    def test_reminder_wait_10_working_days_r17_1(self):
        """行政强制法 第五十四条 with 第六十九条: Sun 9/20 counts; 9/25–27 and 10/1–7 do not."""
        self._row("reminder_wait", 10, WORKING, date(2026, 9, 18), date(2026, 10, 9))

    def test_licence_supplement_5_working_days_r6_1(self):
        """行政许可法 第三十二条第一款第四项、第八十二条."""
        self._row("licence_supplement", 5, WORKING, date(2026, 9, 29), date(2026, 10, 12))

    def test_licence_decision_20_working_days_extended_once_by_10_r6_1(self):
        """行政许可法 第四十二条、第八十二条: 9/20 … 10/22 (Sat 10/10 counts)."""
        self._row("licence_decision", 20, WORKING, date(2026, 9, 18), date(2026, 10, 22))
        self.assertEqual(PERIODS["licence_decision"].extension, 10)

    def test_licence_issue_10_working_days_r6_1(self):
        """行政许可法 第四十四条、第八十二条."""
        self._row("licence_issue", 10, WORKING, date(2026, 9, 18), date(2026, 10, 9))

    def test_evidence_preservation_7_working_days_r11_1(self):
        """行政处罚法 第五十六条 with 第八十五条."""
        self._row("evidence_preservation", 7, WORKING, date(2026, 9, 29), date(2026, 10, 14))

    def test_information_reply_20_working_days_r19_1(self):
        """政府信息公开条例 第三十三条."""
        self._row("information_reply", 20, WORKING, date(2026, 9, 18), date(2026, 10, 22))

    @freeze_time("2026-08-14")
    def test_investigation_60_working_days_extended_once_by_30_r8_1(self):
        """劳动保障监察条例 第十七条: 60 working days from filing, 30 more once."""
        # 8/17–9/18 is 25 working days; Sun 9/20 (26) … 9/30 (33); 10/8 (34), 10/9 (35),
        # Sat 10/10 (36), 10/12 … 11/6 (56), 11/9 … 11/12 (60)
        self._row("investigation", 60, WORKING, date(2026, 8, 14), date(2026, 11, 12))
        case = self._open_case()
        self.assertEqual(case.investigation_deadline, date(2026, 11, 12))
        with self.assertRaisesRegex(UserError, "1 to 30 working days"):
            self._approve(case, "investigation_extension", extension_days=31)
        self._approve(case, "investigation_extension", extension_days=30)
        # 11/13 … 12/24 is 30 more working days
        self.assertEqual(case.investigation_deadline, date(2026, 12, 24))
        with self.assertRaisesRegex(UserError, "only once"):
            self._approve(case, "investigation_extension", extension_days=5)

    # ------------------------------------------------------------------ calendar days
    def test_fine_payment_15_days_r15_1(self):
        """行政处罚法 第六十七条: calendar days; 10/1 is a holiday, the period ends 10/8."""
        self._row("fine_payment", 15, CALENDAR, date(2026, 9, 16), date(2026, 10, 8))
        # ending on the make-up working day Saturday 10/10, it ends that day
        self.assertEqual(
            self.calendar._period_end("fine_payment", date(2026, 9, 25)), date(2026, 10, 10)
        )

    def test_reconsideration_60_days_r13_1(self):
        """行政复议法 (2023) 第二十条."""
        self._row("reconsideration", 60, CALENDAR, date(2026, 8, 2), date(2026, 10, 8))

    def test_archiving_30_days_r18_1(self):
        """规定 第十八条."""
        self._row("archiving", 30, CALENDAR, date(2026, 9, 1), date(2026, 10, 8))

    def test_injury_acceptance_15_days_r6_1(self):
        """工伤认定办法 第八条."""
        self._row("injury_acceptance", 15, CALENDAR, date(2026, 9, 16), date(2026, 10, 8))

    def test_injury_decision_60_days_r6_1(self):
        """工伤保险条例 第二十条."""
        self._row("injury_decision", 60, CALENDAR, date(2026, 8, 2), date(2026, 10, 8))

    @freeze_time("2026-07-03")
    def test_penalty_decision_90_days_extended_once_by_30_r13_5(self):
        """行政处罚法 第六十条: 90 days from filing, to 10/1, a holiday: 10/8. Extended once
        by 30 days at most: 10/31 is a Saturday, 11/2."""
        self._row("penalty_decision", 90, CALENDAR, date(2026, 7, 3), date(2026, 10, 8))
        case = self._open_case()
        self.assertEqual(case.decision_deadline, date(2026, 10, 8))
        with self.assertRaisesRegex(UserError, "1 to 30 days"):
            self._approve(case, "decision_extension", extension_days=365)
        self._approve(case, "decision_extension", extension_days=30)
        self.assertEqual(case.decision_deadline, date(2026, 11, 2))
        with self.assertRaisesRegex(UserError, "only once"):
            self._approve(case, "decision_extension", extension_days=10)

    # ------------------------------------------------------------------ months
    def test_litigation_6_months_r13_1(self):
        """行政诉讼法 第四十六条: 4/1 + 6 months is 10/1, a holiday: 10/8."""
        self._row("litigation", 6, MONTHS, date(2026, 4, 1), date(2026, 10, 8))

    def test_court_application_3_months_r17_2(self):
        """行政强制法 第五十三条: 7/10 + 3 months is Saturday 10/10, a make-up working day."""
        self._row("court_application", 3, MONTHS, date(2026, 7, 10), date(2026, 10, 10))

    def test_every_row_cites_its_statute_and_rule_and_is_listed_in_the_readme(self):
        path = __file__.rsplit("/hr_enforcement_record/", 1)[0] + "/README.md"
        with open(path, encoding="utf-8") as handle:
            readme = handle.read()
        for key, period in PERIODS.items():
            self.assertTrue(period.statute and period.rule.startswith("R"), key)
            self.assertIn(f"`{key}`", readme, f"the README lists the period {key}")


@tagged("post_install", "-at_install")
class TestHolidayCalendarYears(EnforcementCase):
    """A deadline in a year the calendar does not cover is shown and the managers are asked
    for the State Council's notice, which they enter in one form (R4.1)."""

    @freeze_time("2026-12-21")
    def test_deadline_in_an_uncovered_year_is_flagged_and_managers_asked_once(self):
        case = self._create_case(origin="complaint", date_received="2026-12-28")
        # 12/29, 12/30, 12/31, then 2027 has no notice: weekends only → 1/1, 1/4
        self.assertEqual(case.complaint_decision_deadline, date(2027, 1, 4))
        self.assertIn("2027", case.calendar_gap_note)
        Year = self.env["hr.enforcement.holiday.year"]
        Year._cron_warn_uncovered_years()
        Year._cron_warn_uncovered_years()  # idempotent
        year = Year.search([("year", "=", 2027)])
        self.assertFalse(year.covered)
        asked = year.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(asked), 1, "each manager is asked once")
        self.assertFalse(year.activity_ids.filtered(lambda a: a.user_id == self.officer))
        # the manager enters the year (days off of a test, not the real notice)
        year.with_user(self.manager).write(
            {
                "notice": "国务院办公厅关于2027年部分节假日安排的通知",
                "period_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Test day off",
                            "kind": "holiday",
                            "date_from": "2027-01-01",
                            "date_to": "2027-01-01",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Test days off",
                            "kind": "holiday",
                            "date_from": "2027-01-04",
                            "date_to": "2027-01-05",
                        },
                    ),
                ],
            }
        )
        self.assertTrue(year.covered)
        case.invalidate_recordset()
        self.assertEqual(
            case.complaint_decision_deadline, date(2027, 1, 7), "the pending deadline moved"
        )
        self.assertFalse(case.calendar_gap_note)
        self.assertFalse(year.activity_ids, "the managers' request is done")
        # a period entered by mistake and removed: the deadline comes back
        year.period_ids.filtered(lambda p: p.date_from.day == 4).with_user(self.manager).unlink()
        case.invalidate_recordset()
        self.assertEqual(case.complaint_decision_deadline, date(2027, 1, 5))
        # the day off moved after the deadline: 1 January counts again, the deadline is 1/4
        year.period_ids.with_user(self.manager).write(
            {"date_from": "2027-01-05", "date_to": "2027-01-05"}
        )
        case.invalidate_recordset()
        self.assertEqual(case.complaint_decision_deadline, date(2027, 1, 4))

    def test_r4_1_only_managers_enter_a_year(self):
        Year = self.env["hr.enforcement.holiday.year"]
        with self.assertRaises(AccessError):
            Year.with_user(self.officer).create({"year": 2028})
        with self.assertRaisesRegex(ValidationError, "notice"):
            Year.with_user(self.manager).create(
                {
                    "year": 2028,
                    "period_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "元旦",
                                "date_from": "2028-01-01",
                                "date_to": "2028-01-01",
                                "notice": "x",
                            },
                        )
                    ],
                }
            )

    def test_r4_1_a_period_belongs_to_its_year(self):
        year = (
            self.env["hr.enforcement.holiday.year"]
            .with_user(self.manager)
            .create({"year": 2029, "notice": "2029"})
        )
        with self.assertRaisesRegex(ValidationError, "does not fall in 2029"):
            self.env["hr.enforcement.holiday"].with_user(self.manager).create(
                {
                    "name": "x",
                    "date_from": datetime(2030, 1, 1).date(),
                    "date_to": datetime(2030, 1, 1).date(),
                    "notice": "x",
                    "year_id": year.id,
                }
            )
