from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_evidence import EvidenceCase


@tagged("post_install", "-at_install")
class TestEvidencePreservation(EvidenceCase):
    """先行登记保存 (行政处罚法 第五十六条; R11.1): approved by the head of the bureau, the
    party's numbered notice, the handling decision within 7 working days."""

    def _preservation(self, case):
        return (
            self.env["hr.enforcement.preservation"]
            .with_user(self.officer)
            .create(
                {
                    "case_id": case.id,
                    "items": "Attendance records of October 2026 (3 binders)",
                    "place": "Bureau evidence room",
                    "reason": "The employer was seen preparing to shred them.",
                }
            )
        )

    def _issue_notice(self, preservation):
        return self._issue_from(preservation.with_user(self.officer).action_issue_notice())

    def test_r11_1_preservation_approved_notified_and_handled_in_7_working_days(self):
        with freeze_time("2026-09-29"):
            case = self._open_case()
            preservation = self._preservation(case)
            with self.assertRaisesRegex(UserError, "approval of the head"):
                preservation.with_user(self.officer).action_issue_notice()
            self._approve(preservation, "preservation")
        self.assertEqual(
            (preservation.state, preservation.approved_on), ("approved", date(2026, 9, 29))
        )
        # 9/30, 10/8, 10/9, Saturday 10/10, 10/12, 10/13, 10/14
        self.assertEqual(preservation.handling_deadline, date(2026, 10, 14))
        activity = preservation.activity_ids
        self.assertEqual(
            (activity.date_deadline, activity.user_id), (date(2026, 10, 14), self.officer)
        )
        notice = self._issue_notice(preservation)
        self.assertEqual(preservation.notice_record_id, notice)
        self.assertTrue(notice.document_number.startswith("金普人社先保字"))
        self.assertIn("Attendance records", self._pdf_text(notice))
        with self.assertRaisesRegex(UserError, "once"):
            self._issue_notice(preservation)
        # a client naming the preservation while issuing another document links nothing
        other = self._issue_from(
            dict(
                preservation.with_user(self.officer).action_issue_notice(),
                context={
                    "default_case_id": case.id,
                    "default_document_type_id": self.env.ref(
                        "hr_enforcement_record.document_type_case_opening"
                    ).id,
                    "preservation_id": preservation.id,
                },
            )
        )
        self.assertNotEqual(other, notice)
        self.assertEqual(preservation.notice_record_id, notice, "still its own notice")
        self._add_step(case)
        self._excuse_missing(case)
        with self.assertRaisesRegex(UserError, "R11.1"):
            case.action_to_decision()
        with self.assertRaisesRegex(UserError, "handling decision"):
            preservation.with_user(self.officer).action_record_handling()
        preservation.with_user(self.officer).write(
            {
                "handling": "evidence",
                "handling_note": "Copied and certified; the binders were returned.",
                "handling_date": "2026-10-15",
            }
        )
        preservation.with_user(self.officer).action_record_handling()
        self.assertEqual(preservation.state, "handled")
        self.assertTrue(preservation.handled_late, "one day after the 7 working days")
        self.assertFalse(preservation.activity_ids)
        case.action_to_decision()
        self.assertEqual(case.stage, "decision")

    def test_r11_1_preservation_is_recorded_during_the_investigation_only(self):
        case = self._create_case()
        with self.assertRaisesRegex(UserError, "Investigation"):
            self._preservation(case)
