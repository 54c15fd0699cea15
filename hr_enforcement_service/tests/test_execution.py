from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
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

    def test_r17_1_court_only_ten_days_after_the_reminder_was_served(self):
        case, _decision = self._served_case()
        reminder_doc = self._sealed_document(case, "document_type_reminder", "催告书")
        reminder = self._step(case, "reminder", document_id=reminder_doc.id)
        self.assertTrue(reminder.deadline, "statutory period of the court application")
        application_doc = self._sealed_document(
            case, "document_type_court_application", "Application"
        )
        values = {
            "parent_id": reminder.id,
            "document_id": application_doc.id,
            "court": "Jinpu District People's Court",
        }
        with self.assertRaisesRegex(ValidationError, "R17.1"):
            self._step(case, "court_application", **values)
        served_on = date.today() - timedelta(days=5)
        service = self._service(
            case,
            reminder_doc,
            "direct",
            service_date=served_on,
            signer_name="Zhou Fang",
            signer_relation="recipient",
            signed=True,
        )
        service.action_register_served()
        reminder.invalidate_recordset()
        self.assertEqual(reminder.served_on, served_on)
        self.assertGreaterEqual(reminder.wait_until, served_on + timedelta(days=10))
        with self.assertRaisesRegex(ValidationError, "R17.1"):
            self._step(case, "court_application", **values)
        application = self._step(case, "court_application", date=reminder.wait_until, **values)
        with self.assertRaisesRegex(ValidationError, "R17.2"):
            self._step(case, "court_result", parent_id=application.id)
        result = self._step(
            case,
            "court_result",
            parent_id=application.id,
            court_result="Execution granted; the fine was collected.",
        )
        self.assertEqual(result.parent_id, application)

    def test_r17_2_application_after_the_statutory_period_refused(self):
        case, _decision = self._served_case()
        reminder_doc = self._sealed_document(case, "document_type_reminder", "催告书")
        reminder = self._step(case, "reminder", document_id=reminder_doc.id)
        self._service(
            case,
            reminder_doc,
            "direct",
            signer_name="Zhou Fang",
            signer_relation="recipient",
            signed=True,
        ).action_register_served()
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
                date=reminder.deadline + timedelta(days=1),
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
