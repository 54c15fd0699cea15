from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_evidence import EvidenceCase, make_mp4


@tagged("post_install", "-at_install")
class TestApplication(EvidenceCase):
    """Applications at the counter (R6.1) and the counter's surveillance recording (R6.2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matter = cls.env.ref("hr_enforcement_record.matter_labour_dispatch")
        cls.camera = cls.env["hr.enforcement.av.device"].create(
            {"name": "Counter 1", "device_type": "surveillance", "serial_number": "HALL-1"}
        )
        cls.station = (
            cls.env["hr.enforcement.station"]
            .with_user(cls.manager)
            .create({"name": "Hall recorder", "code": "HALL"})
        )

    def _application(self, received_at=None, **values):
        return (
            self.env["hr.enforcement.application"]
            .with_user(self.officer)
            .create(
                dict(
                    {
                        "applicant_id": self.party.id,
                        "matter_id": self.matter.id,
                        "received_at": received_at or datetime(2026, 9, 28, 2, 30),
                        "reviewer_id": self.reviewer.employee_id.id,
                        "approver_id": self.approver.employee_id.id,
                        "counter_device_id": self.camera.id,
                    },
                    **values,
                )
            )
        )

    def _counter_clip(self, start, minutes=60):
        facts = self.store._ingest(
            __import__("io").BytesIO(make_mp4(start) + bytes(start.minute + 1)), "hall.mp4"
        )
        values = {
            "device_id": self.camera.id,
            "officer_id": False,
            "capture_start": start,
            "capture_end": start + timedelta(minutes=minutes),
        }
        return self.station.sudo()._receive_clip(facts, "hall.mp4", values)

    def test_r6_1_application_is_accepted_on_complete_materials_and_opens_the_case(self):
        application = self._application()
        self.assertTrue(application.name.startswith("SQ2026-"))
        self.assertEqual(len(application.material_ids), 5, "the matter's checklist")
        # received Monday 28 September 2026: the National Day holidays do not count
        self.assertEqual(
            application.acceptance_deadline,
            self.env["hr.enforcement.holiday"]._add_working_days(date(2026, 9, 28), 5),
        )
        self.assertGreater(application.acceptance_deadline, date(2026, 10, 7))
        with self.assertRaisesRegex(UserError, "Business licence"):
            application.action_accept()
        application.material_ids.write({"received": True})
        application.action_accept()
        case = application.case_id
        self.assertEqual(application.state, "accepted")
        self.assertEqual(
            (case.enforcement_type, case.origin, case.partner_id, case.handler_id),
            ("licensing", "application", self.party, self.officer.employee_id),
        )
        self.assertEqual(
            application.decision_deadline,
            self.env["hr.enforcement.holiday"]._add_working_days(application.decided_on, 20),
        )
        # faithfully recorded (R6.1): the decided application and its checklist are kept as they are
        with self.assertRaisesRegex(UserError, "R6.1"):
            application.write({"applicant_id": self.env["res.partner"].create({"name": "X"}).id})
        with self.assertRaisesRegex(UserError, "R6.1"):
            application.material_ids[:1].write({"received": False})
        with self.assertRaisesRegex(UserError, "decided"):
            application.action_reject()

    def test_r6_1_supplement_told_at_once_and_refusal_needs_reasons(self):
        application = self._application()
        application.material_ids[:2].write({"received": True})
        application.action_request_supplement()
        self.assertEqual(application.state, "supplement")
        self.assertEqual(len(application.supplement_notice.splitlines()), 3)
        with self.assertRaisesRegex(UserError, "reasons"):
            application.action_reject()
        application.write({"refusal_reason": "The capital is below two million yuan."})
        application.action_reject()
        self.assertEqual((application.state, application.case_id.id), ("rejected", False))

    def test_r6_2_counter_clip_proposed_linked_and_missing_until_linked(self):
        received = datetime(2026, 9, 28, 2, 30)
        covering = self._counter_clip(received - timedelta(minutes=20))
        self._counter_clip(received + timedelta(hours=2))  # later: not proposed
        application = self._application(received)
        self.assertEqual(application.clip_proposal_ids, covering)
        application.material_ids.write({"received": True})
        application.action_accept()
        case = application.case_id
        line = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_ref", "=", "R6.2")]
        )
        self.assertEqual(line.status, "missing", "no counter recording: a gap (R6.2)")
        self.assertTrue(any("R6.2" in gap for gap in case._get_missing_requirements()))
        application.write({"counter_clip_id": covering.id})
        record = covering.av_record_id
        self.assertEqual((record.case_id, record.media_type), (case, "surveillance"))
        self.assertEqual(covering.application_ids, application)
        line.invalidate_recordset()
        self.assertEqual(line.status, "present")
        self.assertFalse([gap for gap in case._get_missing_requirements() if "R6.2" in gap])
        with self.assertRaisesRegex(UserError, "R6.2"):
            application.write({"counter_clip_id": False})

    def test_r6_2_a_clip_that_does_not_cover_the_reception_is_refused(self):
        received = datetime(2026, 9, 28, 2, 30)
        later = self._counter_clip(received + timedelta(hours=2))
        application = self._application(received)
        with self.assertRaises(ValidationError):
            application.write({"counter_clip_id": later.id})
        # linked before acceptance: it waits on the application, then joins the case
        covering = self._counter_clip(received - timedelta(minutes=5))
        application.write({"counter_clip_id": covering.id})
        self.assertEqual(covering.state, "unassigned")
        application.material_ids.write({"received": True})
        application.action_accept()
        self.assertEqual(covering.av_record_id.case_id, application.case_id)

    def test_r6_1_decision_period_extended_once_by_approval(self):
        application = self._application()
        application.material_ids.write({"received": True})
        application.action_accept()
        before = application.decision_deadline
        self._approve(application, "application_extension", extension_days=10)
        self.assertEqual(application.extension_days, 10)
        self.assertEqual(
            application.decision_deadline,
            self.env["hr.enforcement.holiday"]._add_working_days(application.decided_on, 30),
        )
        self.assertGreater(application.decision_deadline, before)
        with self.assertRaisesRegex(UserError, "once"):
            self._approve(application, "application_extension", extension_days=10)

    def test_r6_2_one_counter_segment_shows_several_receptions(self):
        """Two applications received within one segment of the counter camera: each case
        has the segment as its own surveillance record, the bytes stored once."""
        received = datetime(2026, 9, 28, 2, 30)
        segment = self._counter_clip(received - timedelta(minutes=20), minutes=180)
        cases = self.env["hr.enforcement.case"]
        for minutes in (0, 45):
            application = self._application(received + timedelta(minutes=minutes))
            self.assertIn(segment, application.clip_proposal_ids)
            application.material_ids.write({"received": True})
            application.action_accept()
            application.write({"counter_clip_id": segment.id})
            cases |= application.case_id
        records = self.env["hr.enforcement.av.record"].search([("case_id", "in", cases.ids)])
        self.assertEqual(records.case_id, cases)
        self.assertEqual(set(records.mapped("media_type")), {"surveillance"})
        self.assertEqual(len(set(records.file_ids.mapped("sha256"))), 1, "stored once")
        self.assertEqual(len(segment.application_ids), 2)
        for case in cases:
            line = self.env["hr.enforcement.case.requirement"].search(
                [("case_id", "=", case.id), ("requirement_ref", "=", "R6.2")]
            )
            self.assertEqual(line.status, "present")
