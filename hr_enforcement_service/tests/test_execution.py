from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestExecution(ServiceCase):
    """Execution after a decision (R15.1, R15.2, R16.1, R17.1, R17.2)."""

    def _step(self, case, kind, **values):
        return (
            self.env["hr.enforcement.execution.step"]
            .with_user(self.officer)
            .create(dict({"case_id": case.id, "kind": kind}, **values))
        )

    def _sealed_document(self, case, xmlid, name):
        record = self._text(
            case,
            self.env.ref(f"hr_enforcement_service.{xmlid}"),
            name=name,
            certificate_ids=[],
        )
        self._upload(record, b"%PDF-1.4 " + name.encode(), "document.pdf")
        record.with_user(self.officer).action_seal()
        return record

    def test_r15_1_performance_recorded_after_decision_only(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R15.1"):
            self._step(case, "performance", performance="full")
        case, _decision = self._served_case()
        with self.assertRaisesRegex(ValidationError, "R15.1"):
            self._step(case, "performance")
        step = self._step(case, "performance", performance="partial")
        self.assertEqual(case.execution_step_count, 1)
        self.assertEqual(step.performance, "partial")

    def test_r15_2_correction_checked_on_due_date_with_reminder(self):
        case, _decision = self._served_case()
        order_doc = self._sealed_document(case, "document_type_correction_order", "Order")
        due = date.today() + timedelta(days=15)
        with self.assertRaisesRegex(ValidationError, "R15.2"):
            self._step(case, "correction_order", document_id=order_doc.id)
        order = self._step(case, "correction_order", document_id=order_doc.id, due_date=due)
        self.assertEqual(order.deadline, due)
        activity = order.activity_ids
        self.assertEqual(activity.date_deadline, due, "the handler is reminded of the check")
        self.assertEqual(activity.user_id, case.handler_id.user_id)
        with self.assertRaisesRegex(ValidationError, "R15.2"):
            self._step(case, "correction_check", parent_id=order.id, check_result="corrected")
        check = self._step(
            case,
            "correction_check",
            parent_id=order.id,
            date=due + timedelta(days=2),
            check_result="not_corrected",
        )
        self.assertTrue(check.checked_late)
        self.assertFalse(order.activity_ids, "the reminder is done once the check is recorded")

    def test_r16_1_statement_heard_and_reexamined(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R16.1"):
            self._step(case, "statement", facts_raised="Overtime was paid in cash")
        step = self._step(
            case,
            "statement",
            facts_raised="Overtime was paid in cash",
            review_result="rejected",
            review_reason="No receipts of any cash payment were produced.",
        )
        self.assertEqual(step.review_result, "rejected")

    def _served_on(self, case, document, day):
        """`document` handed to the party on `day`, who signs the receipt."""
        with freeze_time(day):
            self._service(
                case,
                document,
                "direct",
                service_date=day,
                signer_name="Zhou Fang",
                signer_relation="recipient",
                signed=True,
            ).action_register_served()

    def _decided_and_served(self, prepare=None):
        """Decided on Monday 5 January 2026, the decision served the next day."""
        with freeze_time("2026-01-05"):
            case, decision = self._served_case(prepare)
        self._served_on(case, decision, date(2026, 1, 6))
        return case

    def _issued_reminder(self, case, day, **values):
        with freeze_time(day):
            reminder = self._step(
                case,
                "reminder",
                date=day,
                due_date=day + timedelta(days=5),
                performance_manner="Pay the workers' wages at the bureau's counter.",
                **values,
            )
            self._issue_from(reminder.with_user(self.officer).action_issue_reminder())
        return reminder

    def test_r17_1_reminder_states_period_manner_and_amount_after_the_decision_is_served(self):
        """行政强制法 第三十五条、第五十四条: a 催告书 follows the served decision and states the
        period, the manner, the amount and the right to state and defend."""
        with freeze_time("2026-01-05"):
            case, _decision = self._served_case()
            with self.assertRaisesRegex(ValidationError, "R17.1"):
                self._step(
                    case,
                    "reminder",
                    due_date=date(2026, 1, 20),
                    performance_manner="Pay at the bank.",
                )
        case = self._decided_and_served(
            lambda case: (
                self.env["hr.enforcement.amount"]
                .with_user(self.officer)
                .create({"case_id": case.id, "kind": "wages", "amount": 12000, "workers_count": 3})
            )
        )
        with self.assertRaisesRegex(ValidationError, "R17.1"):
            self._step(case, "reminder", date=date(2026, 6, 25))
        with self.assertRaisesRegex(ValidationError, "art. 35"):
            self._issued_reminder(case, date(2026, 6, 25))
        reminder = self._issued_reminder(case, date(2026, 6, 25), amount_due=12000)
        document = reminder.document_id
        self.assertTrue(document.document_number.startswith("金普人社催字"))
        with self.assertRaisesRegex(UserError, "execution step"):
            self.env["hr.enforcement.document.issue"].with_user(self.officer).create(
                {
                    "case_id": case.id,
                    "document_type_id": self.env.ref(
                        "hr_enforcement_service.document_type_reminder"
                    ).id,
                }
            ).action_issue()
        text = self._pdf_text(document)
        for expected in ("12,000", "Pay the workers", "state your case"):
            self.assertIn(expected, text)

    def test_r17_1_court_only_ten_working_days_after_the_reminder_and_after_the_remedies(self):
        """行政强制法 第五十三条、第五十四条、第六十九条: served 6/26, the reminder's 10 working
        days end 7/10; the decision served 1/6 can be challenged until 7/6 (6 months)."""
        case = self._decided_and_served()
        reminder = self._issued_reminder(case, date(2026, 6, 25))
        self.assertEqual(reminder.remedies_end, date(2026, 7, 6))
        self._served_on(case, reminder.document_id, date(2026, 6, 26))
        reminder.invalidate_recordset()
        self.assertEqual(reminder.wait_until, date(2026, 7, 10))
        self.assertEqual(reminder.court_from, date(2026, 7, 11))
        application_doc = self._sealed_document(
            case, "document_type_court_application", "Application"
        )
        values = {
            "parent_id": reminder.id,
            "document_id": application_doc.id,
            "court": "Jinpu District People's Court",
        }
        with self.assertRaisesRegex(ValidationError, "R17.1"):
            self._step(case, "court_application", date=date(2026, 7, 10), **values)
        application = self._step(case, "court_application", date=date(2026, 7, 13), **values)
        with self.assertRaisesRegex(ValidationError, "R17.2"):
            self._step(case, "court_result", parent_id=application.id)
        result = self._step(
            case,
            "court_result",
            parent_id=application.id,
            court_result="Execution granted; the wages were collected.",
        )
        self.assertEqual(result.parent_id, application)

    def test_r17_2_application_after_the_statutory_period_refused(self):
        """行政强制法 第五十三条: three months from 7/6, the end of the litigation period: 10/6
        falls in the National Day holiday, the period ends on 10/8."""
        case = self._decided_and_served()
        reminder = self._issued_reminder(case, date(2026, 6, 25))
        self.assertEqual(reminder.deadline, date(2026, 10, 8))
        self._served_on(case, reminder.document_id, date(2026, 6, 26))
        application_doc = self._sealed_document(
            case, "document_type_court_application", "Application"
        )
        with self.assertRaisesRegex(ValidationError, "R17.2"):
            self._step(
                case,
                "court_application",
                parent_id=reminder.id,
                document_id=application_doc.id,
                court="Jinpu District People's Court",
                date=date(2026, 10, 9),
            )

    def test_steps_follow_steps_of_the_right_kind(self):
        case, _decision = self._served_case()
        performance = self._step(case, "performance", performance="none")
        with self.assertRaisesRegex(ValidationError, "right kind"):
            self._step(case, "court_result", parent_id=performance.id, court_result="x")

    def test_steps_follow_the_case_access_rules(self):
        """Officers see the steps of their department's cases; supervisors only read."""
        case, _decision = self._served_case()
        step = self._step(case, "performance", performance="full")
        Step = self.env["hr.enforcement.execution.step"]
        self.assertFalse(Step.with_user(self.outsider).search([("id", "=", step.id)]))
        self.assertEqual(Step.with_user(self.supervisor).search([("id", "=", step.id)]), step)
        with self.assertRaises(AccessError):
            step.with_user(self.supervisor).write({"notes": "Edited"})
        with self.assertRaises(AccessError):
            step.with_user(self.outsider).read(["notes"])

    def test_errors_in_chinese(self):
        """Users read the refusals in zh_CN (R15.1)."""
        case = self._open_case()
        self.officer.lang = "zh_CN"
        with self.assertRaisesRegex(ValidationError, "尚未作出决定"):
            self.env["hr.enforcement.execution.step"].with_user(self.officer).with_context(
                lang="zh_CN"
            ).create({"case_id": case.id, "kind": "performance", "performance": "full"})
