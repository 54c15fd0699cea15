import base64
import hashlib
import re
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_evidence import EvidenceCase, make_mp4


class ApplicationCase(EvidenceCase):
    def _new_application(self, matter_ref, received, **values):
        """An application of `matter_ref` received at `received`, registered by the officer."""
        return (
            self.env["hr.enforcement.application"]
            .with_user(self.officer)
            .create(
                dict(
                    {
                        "applicant_id": self.party.id,
                        "matter_id": self.env.ref(f"hr_enforcement_record.{matter_ref}").id,
                        "received_at": received,
                        "reviewer_id": self.reviewer.employee_id.id,
                        "approver_id": self.approver.employee_id.id,
                    },
                    **values,
                )
            )
        )


@tagged("post_install", "-at_install")
class TestApplication(ApplicationCase):
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
        return self._new_application(
            "matter_labour_dispatch",
            received_at or datetime(2026, 9, 28, 2, 30),
            counter_device_id=self.camera.id,
            **values,
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

    @freeze_time("2026-09-28 08:00:00")
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

    @freeze_time("2026-09-28 08:00:00")
    def test_r6_1_the_checklist_is_the_matters_and_only_ticked(self):
        """R6.1 (行政许可法 第三十二条): an officer cannot make a required material optional,
        remove it, add one, or register an application with a checklist of their own;
        accepting still needs every required material received."""
        Material = self.env["hr.enforcement.application.material"].with_user(self.officer)
        application = self._application()
        required = self.matter.material_ids.filtered("mandatory")
        self.assertEqual(
            application.material_ids.filtered("mandatory").matter_material_id, required
        )
        first = application.material_ids[:1]
        for values in ({"mandatory": False}, {"name": "Anything"}, {"sequence": 99}):
            with self.assertRaisesRegex(UserError, "R6.1"):
                first.write(values)
        with self.assertRaisesRegex(UserError, "R6.1"):
            first.unlink()
        with self.assertRaisesRegex(UserError, "R6.1"):
            Material.create({"application_id": application.id, "name": "Made up"})
        with self.assertRaisesRegex(UserError, "R6.1"):
            application.write({"material_ids": [(2, first.id)]})
        with self.assertRaisesRegex(UserError, "R6.1"):
            application.write(
                {"matter_id": self.env.ref("hr_enforcement_record.matter_hr_service").id}
            )
        # a checklist of one's own, on registration: refused, the matter's is drawn
        with self.assertRaisesRegex(UserError, "R6.1"):
            self._application(
                material_ids=[(0, 0, {"name": "Nothing", "mandatory": False, "received": True})]
            )
        self.assertTrue(first.exists() and first.mandatory)
        with self.assertRaisesRegex(UserError, "lacks required materials"):
            application.action_accept()
        first.write({"received": True, "pages": 3, "note": "original seen"})
        self.assertEqual(first.pages, 3)

    @freeze_time("2026-09-28 08:00:00")
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

    @freeze_time("2026-09-28 08:00:00")
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


@tagged("post_install", "-at_install")
class TestLicensingAndConfirmation(ApplicationCase):
    """行政许可法 第三十二、三十八、四十二、四十四条 and 工伤保险条例 第二十条 on the counter's
    applications and the cases they open (R6.1)."""

    def _print(self, record, report_ref):
        """The counter document as printed: sealed (pdfsig validates it), read back as text."""
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_pdf(f"hr_enforcement_record.{report_ref}", record.ids)
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            # 行政许可法 第三十二条: the written document bears the authority's seal (R12.1)
            signatures = subprocess.run(
                ["pdfsig", handle.name], capture_output=True, text=True, check=False
            ).stdout
            self.assertIn("Signature is Valid.", signatures)
            self.assertIn("Total document signed", signatures)
            return subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

    def test_r6_1_licence_accepted_by_law_when_no_supplement_was_requested_in_time(self):
        """第三十二条第一款第四项: received Tuesday 29 September, the 5 working days end on
        12 October; from 13 October the application is accepted from its receipt."""
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
        self.assertEqual(application.acceptance_deadline, date(2026, 10, 12))
        Application = self.env["hr.enforcement.application"]
        with freeze_time("2026-10-12"):
            Application._cron_deem_accepted()
            self.assertEqual(application.state, "received", "still within the period")
        with freeze_time("2026-10-13"):
            with self.assertRaisesRegex(UserError, "accepted by law"):
                application.action_request_supplement()
            Application._cron_deem_accepted()
            Application._cron_deem_accepted()  # idempotent
        self.assertEqual(application.state, "accepted")
        self.assertTrue(application.deemed_accepted)
        self.assertEqual(application.accepted_on, date(2026, 9, 29))
        # 20 working days from 29 September (Saturday 10 October counts): 2 November
        self.assertEqual(application.decision_deadline, date(2026, 11, 2))
        case = application.case_id
        self.assertEqual(
            (case.date_filed, case.decision_deadline), (date(2026, 9, 29), date(2026, 11, 2))
        )
        self.assertTrue(application.acceptance_number.startswith("金普人社许受字〔2026〕"))
        text = self._print(application, "action_report_application_acceptance")
        self.assertIn(application.acceptance_number, text)
        self.assertIn("art.32(4)", re.sub(r"\s+", "", text))
        with self.assertRaisesRegex(UserError, "no such document"):
            self._print(application, "action_report_application_refusal")
        # the acceptance filed the case: no opening approval is asked for
        with self.assertRaisesRegex(UserError, "needs no opening approval"):
            self._approve(case, "case_opening")
        self._excuse_missing(case)
        case.with_user(self.officer).action_start_investigation()
        self.assertEqual(case.stage, "investigation")

    def test_r6_1_supplement_requested_once_in_writing_then_accepted(self):
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
            application.material_ids[:2].write({"received": True})
            application.action_request_supplement()
            self.assertEqual(application.supplement_date, date(2026, 9, 29))
            with self.assertRaisesRegex(UserError, "once"):
                application.action_request_supplement()
        text = self._print(application, "action_report_application_supplement")
        self.assertIn(application.supplement_number, text)
        self.assertIn("Capitalverificationreport", re.sub(r"\s+", "", text))
        with freeze_time("2026-10-20"):
            self.env["hr.enforcement.application"]._cron_deem_accepted()
            self.assertEqual(application.state, "supplement", "told in time: not deemed")
            application.material_ids.write({"received": True})
            application.action_accept()
        self.assertEqual(
            (application.accepted_on, application.deemed_accepted), (date(2026, 10, 20), False)
        )

    def test_r12_1_counter_documents_are_kept_and_served_as_issued(self):
        """R12.1, R22.3, R22.4; 行政许可法 第三十二条: the sealed 补正告知书 is made and kept when
        the supplement is requested; every printing serves those very bytes (one signature,
        not one per print); nobody rewrites them, administrators included; a damaged
        original is refused by name, never served as intact."""
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
            application.material_ids[:2].write({"received": True})
            application.action_request_supplement()
        stored = base64.b64decode(application.with_context(bin_size=False).supplement_original)
        self.assertEqual(hashlib.sha256(stored).hexdigest(), application.supplement_original_sha256)
        report = "hr_enforcement_record.action_report_application_supplement"
        Report = self.env["ir.actions.report"].with_user(self.officer)
        first, _kind = Report._render_qweb_pdf(report, application.ids)
        again, _kind = Report._render_qweb_pdf(report, application.ids)
        self.assertEqual((first, again), (stored, stored), "served as issued, not sealed anew")
        self.assertIn(application.supplement_number, self._print(application, report[22:]))
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", application._name),
                    ("res_id", "=", application.id),
                    ("res_field", "=", "supplement_original"),
                ]
            )
        )
        self.assertEqual(len(attachment), 1)
        forged = base64.b64encode(b"%PDF-1.7 forged")
        for user in (self.officer, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "written by the application only"):
                attachment.with_user(user).sudo().write({"datas": forged})
            with self.assertRaisesRegex(UserError, "written by the application only"):
                attachment.with_user(user).sudo().unlink()
            with self.assertRaises(UserError):
                application.with_user(user).sudo().write({"supplement_original": forged})
            with self.assertRaisesRegex(UserError, "written by the application only"):
                attachment.with_user(user).sudo().write({"raw": b"%PDF-1.7 forged"})
        # several nodes keep Odoo's attachments in the database: moving the same bytes there
        # (Odoo's force_storage) is allowed, and the original stays what was issued
        self.env["ir.config_parameter"].sudo().set_param("ir_attachment.location", "db")
        self.env["ir.attachment"].sudo().force_storage()
        attachment.invalidate_recordset()
        self.assertFalse(attachment.store_fname)
        self.assertEqual(attachment.raw, stored)
        self.env["ir.config_parameter"].sudo().set_param("ir_attachment.location", "file")
        self.env["ir.attachment"].sudo().force_storage()
        attachment.invalidate_recordset()
        # a failing disk: the stored bytes change behind the application's back
        path = attachment._full_path(attachment.store_fname)
        damaged = bytearray(stored)
        damaged[len(damaged) // 2] ^= 0xFF
        with open(path, "wb") as handle:
            handle.write(damaged)
        self.addCleanup(Path(path).write_bytes, stored)
        self.env.invalidate_all()
        # the alert's own transaction sees this test's records: a cursor on the test's
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        refusals = []
        for _attempt in range(2):  # not assertRaises: its savepoint would undo the alerts
            try:
                with mute_logger("odoo.addons.hr_enforcement_record.models"):
                    Report._render_qweb_pdf(report, application.ids)
            except UserError as error:
                refusals.append(str(error))
        self.assertEqual(len(refusals), 2)
        self.assertIn(f"{application.supplement_number} is damaged", refusals[0])
        # told to those accountable, once each, although the printing was refused twice
        alerts = application.activity_ids.filtered(
            lambda a: application.supplement_number in (a.summary or "")
        )
        archivists = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_archivist")
        self.assertIn(self.officer, alerts.user_id)
        self.assertLessEqual(archivists.users.filtered("active"), alerts.user_id)
        self.assertEqual(len(alerts), len(alerts.user_id))

    def test_r12_1_no_certificate_no_counter_document_and_no_number_taken(self):
        """R12.1: without a valid signing certificate the supplement is not requested and
        no 文号 is drawn; acceptance by law still happens and says the document waits."""
        keys = self.env["hr.enforcement.signing.key"].search([])
        keys.write({"active": False})
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
            with self.assertRaisesRegex(UserError, "signing certificate"):
                application.action_request_supplement()
        self.assertEqual((application.state, application.supplement_number), ("received", False))
        with freeze_time("2026-10-13"):
            self.env["hr.enforcement.application"]._cron_deem_accepted()
        self.assertEqual(application.state, "accepted", "acceptance by law waits for nobody")
        self.assertFalse(application.acceptance_original_sha256)
        self.assertTrue(
            [b for b in application.message_ids.mapped("body") if "could not be sealed now" in b]
        )
        keys.write({"active": True})
        text = self._print(application, "action_report_application_acceptance")
        self.assertIn(application.acceptance_number, text)
        self.assertTrue(application.acceptance_original_sha256, "kept at its first printing")

    def test_r6_1_application_not_accepted_gets_a_written_decision_with_remedies(self):
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
            application.write(
                {
                    "refusal_reason": "The matter is not within the bureau's powers.",
                    "refer_to": "大连市人力资源和社会保障局",
                }
            )
            application.action_reject()
        text = self._print(application, "action_report_application_refusal")
        flat = re.sub(r"\s+", "", text)
        for expected in (
            application.refusal_number,
            "大连市人力资源和社会保障局",
            "reconsideration",
        ):
            self.assertIn(expected, flat)

    def _accepted_licensing_case(self):
        with freeze_time("2026-09-29"):
            application = self._new_application("matter_labour_dispatch", datetime(2026, 9, 29, 2))
            application.material_ids.write({"received": True})
            application.action_accept()
        case = application.case_id
        self._excuse_missing(case)
        case.with_user(self.officer).action_start_investigation()
        self._add_step(case)
        self._excuse_missing(case)
        case.with_user(self.officer).action_to_decision()
        return application, case

    def test_r6_1_licence_refused_with_reasons_and_remedies(self):
        _application, case = self._accepted_licensing_case()
        case.with_user(self.officer).write(
            {"decision_summary": "Not granted: the capital is short."}
        )
        with self.assertRaisesRegex(UserError, "Refusal of the licence"):
            self._approve(case, "decision")
        case.with_user(self.officer).write({"decision_kind": "licence_refusal"})
        self._approve(case, "decision")
        record = self._issue_from(
            self.env["hr.enforcement.document.issue"]._action_open(
                case, "", "hr_enforcement_record.document_type_licence_refusal"
            )
        )
        self.assertTrue(record.document_number.startswith("金普人社许不准字"))
        text = self._pdf_text(record)
        flat = re.sub(r"\s+", "", text)
        for expected in ("capitalisshort", "reconsideration", "Labourdispatchbusinesslicence"):
            self.assertIn(expected, flat)

    def test_r6_1_licence_granted_is_issued_within_10_working_days(self):
        _application, case = self._accepted_licensing_case()
        case.with_user(self.officer).write(
            {"decision_kind": "licence_grant", "decision_summary": "Granted."}
        )
        with freeze_time("2026-09-30"):
            self._approve(case, "decision")
            self._excuse_missing(case)
            case.with_user(self.officer).action_to_service()
        # 10 working days from 30 September: 10/8, 10/9, Saturday 10/10, 10/12 … 10/16, 10/19,
        # 10/20
        self.assertEqual(case.licence_issue_deadline, date(2026, 10, 20))
        self.assertEqual(case.next_deadline, date(2026, 10, 20))
        self._approve(case, "closing")
        self._excuse_missing(case)
        with self.assertRaisesRegex(UserError, "licence issued"):
            case.with_user(self.officer).action_to_archiving()
        with self.assertRaisesRegex(ValidationError, "after the decision"):
            case.with_user(self.officer).write({"licence_issued_on": "2026-09-29"})
        case.with_user(self.officer).write(
            {"licence_issued_on": "2026-10-12", "licence_number": "劳派许字〔2026〕1号"}
        )
        self._end_enforcement(case)
        self.assertEqual(case.stage, "archiving")

    def test_r6_1_work_injury_determination_suspended_and_resumed(self):
        """工伤认定办法 第八条: 15 days to accept; 工伤保险条例 第二十条: 60 days to decide,
        without the days suspended awaiting the arbitration award."""
        with freeze_time("2026-08-03"):
            application = self._new_application("matter_work_injury", datetime(2026, 8, 3, 2))
            self.assertEqual(application.acceptance_deadline, date(2026, 8, 18))
            application.material_ids.write({"received": True})
            application.action_accept()
        case = application.case_id
        self.assertEqual(case.enforcement_type, "confirmation")
        self.assertTrue(application.acceptance_number.startswith("金普人社工伤受字"))
        # 60 days from 3 August: 2 October, in the National Day holiday: 8 October
        self.assertEqual(case.decision_deadline, date(2026, 10, 8))
        self.assertFalse(case.investigation_deadline, "no labour-inspection period")
        self._excuse_missing(case)
        case.with_user(self.officer).action_start_investigation()
        with freeze_time("2026-08-10"):
            self.env["hr.enforcement.suspension"].with_user(self.officer).create(
                {
                    "case_id": case.id,
                    "awaited": "Labour arbitration award on the employment relationship",
                    "reason": "The employer denies the employment relationship.",
                }
            )
        self.assertTrue(case.suspended)
        self.assertFalse(case.next_deadline, "the period does not run")
        with self.assertRaisesRegex(ValidationError, "suspended already"):
            self.env["hr.enforcement.suspension"].with_user(self.officer).create(
                {"case_id": case.id, "awaited": "x", "reason": "x", "date_from": "2026-08-12"}
            )
        with freeze_time("2026-09-09"):
            case.with_user(self.officer).action_resume()
        self.assertFalse(case.suspended)
        # 30 days suspended: 60 + 30 days from 3 August is 1 November, a Sunday: 2 November
        self.assertEqual(application.decision_deadline, date(2026, 11, 2))
        self.assertEqual(case.decision_deadline, date(2026, 11, 2))
        events = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "suspension")]
        )
        self.assertEqual(len(events), 2, "suspended and resumed, in the case's log")
