import io
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.tests.test_evidence import make_mp4

from .common import PDF, ArchiveCase


@tagged("post_install", "-at_install")
class TestAccessAndConfidentiality(ArchiveCase):
    """Access requests (R19.1) and confidentiality levels (R20.1)."""

    def _request(self, case, record, **values):
        return (
            self.env["hr.enforcement.access.request"]
            .with_user(self.officer2)
            .create(
                dict(
                    {
                        "case_id": case.id,
                        "requester_id": self.party.id,
                        "purpose": "Preparing an administrative reconsideration",
                        "av_record_ids": [(6, 0, record.ids)],
                        "expiry_date": date.today() + timedelta(days=10),
                    },
                    **values,
                )
            )
        )

    def _download(self, evidence, user, request=None):
        context = {"hr_enforcement_access_request_id": request.id} if request else {}
        return evidence.with_user(user).with_context(**context)._get_download_location("")

    def test_r19_1_reply_within_20_working_days_extendable_once(self):
        case = self._open_case()
        record = self._av(case)
        with freeze_time("2026-03-02"):
            request = self._request(case, record, received_on="2026-03-02")
        self.assertEqual(request.reply_deadline, date(2026, 3, 30))
        with self.assertRaisesRegex(UserError, "extended once"):
            request.with_user(self.approver).action_extend()
        request.extension_reason = "Records held by another unit"
        with self.assertRaisesRegex(UserError, "approver"):
            request.with_user(self.officer2).action_extend()
        request.with_user(self.approver).action_extend()
        self.assertEqual(request.reply_deadline, date(2026, 4, 28))

    def test_r20_1_the_party_is_never_shown_what_names_the_complainant(self):
        """R20.1; 劳动保障监察条例 第九条第三款: a document naming the complainant (the notice
        of a complaint not taken up) is refused in an access request of the party; the
        complainant may consult it."""
        complainant = self.env["res.partner"].create({"name": "Wu Gang"})
        case = self._create_case(
            origin="complaint", complainant_id=complainant.id, complaint_real_name=True
        )
        kind = self.env.ref("hr_enforcement_record.document_type_complaint_rejection_notice")
        notice = self._text(case, kind, certificate_ids=[], name="Complaint notice")
        values = {"text_record_ids": [(6, 0, notice.ids)], "av_record_ids": [(5,)]}
        with self.assertRaisesRegex(ValidationError, "complainant"):
            self._request(case, self.env["hr.enforcement.av.record"], **values)
        allowed = self._request(
            case, self.env["hr.enforcement.av.record"], requester_id=complainant.id, **values
        )
        self.assertEqual(allowed.text_record_ids, notice)

    def test_r20_1_confidential_av_needs_an_approved_request(self):
        case = self._open_case()
        record = self._av_with_file(case, confidentiality="commercial")
        evidence = record.file_ids
        self._download(evidence, self.officer)  # on the case: allowed, logged
        with self.assertRaisesRegex(UserError, "R19.1"):
            self._download(evidence.sudo(), self.officer2)
        request = self._request(case, record)
        with self.assertRaisesRegex(UserError, "not approved"):
            self._download(evidence.sudo(), self.officer2, request)
        self._decide(request)
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.approver)
        self._download(evidence.sudo(), self.officer2, request)
        links = request.with_user(self.officer2).file_links
        self.assertIn(f"/hr_enforcement/evidence/{evidence.id}/download?access_request=", links)
        self.assertFalse(request.with_user(self.officer).file_links, "for the serving officer")
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "downloaded")],
            limit=1,
            order="sequence desc",
        )
        self.assertIn(request.name, event.purpose, "logged with the request as its purpose")
        self.assertEqual((event.origin_model, event.origin_id), (request._name, request.id))
        self.assertEqual(event.user_id, self.officer2)
        with freeze_time(date.today() + timedelta(days=11)):
            request.invalidate_recordset(["expired"])
            with self.assertRaisesRegex(UserError, "expired"):
                self._download(evidence.sudo(), self.officer2, request)

    def test_r19_1_request_decided_only_by_the_approval_chain(self):
        """R19.1, R21.1: nobody approves a request by writing its state, on create or later
        (administrators included); the officer who serves it neither reviews nor approves
        it; a decided request no longer changes."""
        case = self._open_case()
        record = self._av_with_file(case, confidentiality="commercial")
        Request = self.env["hr.enforcement.access.request"]
        values = {
            "case_id": case.id,
            "requester_id": self.party.id,
            "purpose": "x",
            "av_record_ids": [(6, 0, record.ids)],
            "expiry_date": date.today(),
        }
        for user in (self.officer2, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "application"):
                Request.with_user(user).create(dict(values, state="approved"))
        sneaky = Request.with_user(self.officer2).with_context(default_state="approved")
        self.assertEqual(sneaky.create(values).state, "draft", "default_state is ignored")
        request = self._request(case, record)
        for user in (self.officer2, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "application"):
                request.with_user(user).write({"state": "approved"})
        request.user_id = self.approver
        with self.assertRaisesRegex(UserError, "neither reviews nor approves"):
            self._decide(request)
        request.user_id = self.officer2
        self._decide(request, approve=False)
        self.assertEqual(request.state, "refused")
        with self.assertRaisesRegex(UserError, "R19.1"):
            request.with_user(self.officer2).write({"purpose": "Changed afterwards"})

    def test_r19_1_an_outsider_cannot_open_a_request_on_a_case(self):
        """The child lock: an officer who may not change the case adds nothing to it."""
        case = self._open_case()
        record = self._av_with_file(case, confidentiality="commercial")
        with self.assertRaises(AccessError):
            self.env["hr.enforcement.access.request"].with_user(self.outsider).create(
                {
                    "case_id": case.id,
                    "requester_id": self.party.id,
                    "purpose": "x",
                    "av_record_ids": [(6, 0, record.ids)],
                    "expiry_date": date.today(),
                }
            )

    def test_r19_1_files_outside_the_scope_refused(self):
        case = self._open_case()
        in_scope = self._av_with_file(case, confidentiality="privacy")
        other = self._av_with_file(case, confidentiality="privacy")
        request = self._request(case, in_scope)
        self._decide(request)
        with self.assertRaisesRegex(UserError, "outside the scope"):
            self._download(other.file_ids.sudo(), self.officer2, request)

    def test_r20_1_record_rules_per_role(self):
        case = self._open_case(confidentiality="work_secret")
        Case = self.env["hr.enforcement.case"]
        self.assertEqual(Case.with_user(self.officer).search([("id", "=", case.id)]), case)
        self.assertFalse(Case.with_user(self.officer2).search([("id", "=", case.id)]))
        self.assertFalse(Case.with_user(self.supervisor).search([("id", "=", case.id)]))
        self.assertFalse(Case.with_user(self.outsider).search([("id", "=", case.id)]))
        self.assertEqual(Case.with_user(self.manager).search([("id", "=", case.id)]), case)
        with self.assertRaises(AccessError):
            case.with_user(self.supervisor).read(["subject"])
        record = self._text(
            case, self.env.ref("hr_enforcement_record.document_type_other"), certificate_ids=[]
        )
        self.assertEqual(record.confidentiality, "work_secret", "records follow their case")
        Text = self.env["hr.enforcement.text.record"]
        self.assertFalse(Text.with_user(self.officer2).search([("id", "=", record.id)]))
        cleared = self.env.ref("hr_enforcement_archive.group_cleared")
        self.supervisor.groups_id = [(4, cleared.id)]
        self.assertEqual(Case.with_user(self.supervisor).search([("id", "=", case.id)]), case)

    def _approve_on_case(self, case, kind, **values):
        """A request on `case` (or on one of its records) through the real chain (R21.1)."""
        request = (
            self.env["hr.enforcement.approval"]
            .with_user(self.officer)
            .create(
                dict(
                    {
                        "res_model": case._name,
                        "res_id": case.id,
                        "kind": kind,
                        "proposal": "With reasons.",
                        "reviewer_id": self.reviewer.id,
                        "approver_id": self.approver.id,
                    },
                    **values,
                )
            )
        )
        request.action_submit()
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Lawful.")
        request.with_user(self.approver)._transition("approved", approval_opinion="Agreed.")
        return request

    def test_r20_1_lowering_a_level_is_an_approved_decision(self):
        """R20.1, R21.1: raising is free; lowering goes through the approval chain and is
        logged; a record's level only rises, administrators included."""
        case = self._open_case()
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        record = self._text(
            case, self.env.ref("hr_enforcement_record.document_type_other"), certificate_ids=[]
        )
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R20.1"):
                case.with_user(user).write({"confidentiality": "internal"})
            with self.assertRaisesRegex(UserError, "R20.1"):
                record.with_user(user).write({"confidentiality": "public"})
        request = self._approve_on_case(case, "confidentiality", new_confidentiality="internal")
        self.assertEqual(case.confidentiality, "internal")
        logged = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "approved")], order="sequence desc"
        )
        self.assertEqual(logged[:1].res_id, request.id, "the lowering is in the case's log")

    def test_r20_1_a_record_set_higher_than_its_case_keeps_its_level(self):
        """R20.1: neither the case's approved lowering, nor raising the case, nor emptying
        the level brings a record below the level set on it; only its own approved request
        lowers it, and never below its case's level. Its events follow it (need-to-know)."""
        case = self._open_case(confidentiality="commercial")
        kind = self.env.ref("hr_enforcement_record.document_type_other")
        raised = self._text(case, kind, certificate_ids=[])
        plain = self._text(case, kind, certificate_ids=[], name="Plain")
        raised.with_user(self.officer).write({"confidentiality": "work_secret"})
        self.assertEqual(raised.confidentiality_raised, "work_secret")
        for level in (False, "commercial"):
            with self.assertRaisesRegex(UserError, "R20.1"):
                raised.with_user(self.officer).write({"confidentiality": level})
        with self.assertRaisesRegex(UserError, "R22.3"):
            raised.with_user(self.officer).write({"confidentiality_raised": "internal"})
        self._approve_on_case(case, "confidentiality", new_confidentiality="internal")
        self.assertEqual(
            (case.confidentiality, plain.confidentiality, raised.confidentiality),
            ("internal", "internal", "work_secret"),
        )
        Text = self.env["hr.enforcement.text.record"]
        self.assertEqual(Text.with_user(self.officer2).search([("case_id", "=", case.id)]), plain)
        Event = self.env["hr.enforcement.event"]
        events = Event.search([("res_model", "=", raised._name), ("res_id", "=", raised.id)])
        self.assertEqual(set(events.mapped("confidentiality")), {"work_secret"})
        self.assertEqual(
            set(
                Event.search([("res_model", "=", plain._name), ("res_id", "=", plain.id)]).mapped(
                    "confidentiality"
                )
            ),
            {"internal"},
            "the events of a record that follows its case follow the case",
        )
        case.with_user(self.officer).write({"confidentiality": "privacy"})
        self.assertEqual(
            (plain.confidentiality, raised.confidentiality), ("privacy", "work_secret")
        )
        with self.assertRaisesRegex(UserError, "below its case"):
            self._approve_on_case(raised, "confidentiality", new_confidentiality="work_secret")
        self._approve_on_case(raised, "confidentiality", new_confidentiality="internal")
        self.assertEqual(raised.confidentiality_raised, "internal")
        self.assertEqual(raised.confidentiality, "privacy", "never below its case's level")

    def test_r20_1_a_station_clip_of_a_confidential_case_is_need_to_know(self):
        """R20.1: once a docking station's clip is an AV record of a commercial-secret
        case, a supervisor without clearance neither finds nor reads it; its officer,
        cleared staff and managers do."""
        case = self._open_case(
            confidentiality="commercial", date_received=date.today() - timedelta(days=3)
        )
        station = (
            self.env["hr.enforcement.station"]
            .with_user(self.manager)
            .create({"name": "Station C", "code": "C01"})
        )
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        facts = self.env["hr.enforcement.filestore"]._ingest(
            io.BytesIO(make_mp4(captured)), "station.mp4"
        )
        values = {
            "device_id": self.device.id,
            "officer_id": self.officer.employee_id.id,
            "capture_start": captured,
        }
        clip = station.sudo()._receive_clip(facts, "station.mp4", values)
        self.assertEqual(clip.av_record_id.case_id, case)
        Clip = self.env["hr.enforcement.av.clip"]
        self.assertFalse(Clip.with_user(self.supervisor).search([("id", "=", clip.id)]))
        with self.assertRaises(AccessError):
            clip.with_user(self.supervisor).read(["name"])
        for user in (self.officer, self.manager):
            self.assertEqual(Clip.with_user(user).search([("id", "=", clip.id)]), clip)
        self.supervisor.groups_id = [(4, self.env.ref("hr_enforcement_archive.group_cleared").id)]
        self.assertEqual(Clip.with_user(self.supervisor).search([("id", "=", clip.id)]), clip)

    def test_r20_1_joining_a_confidential_case_needs_clearance_or_admission(self):
        case = self._open_case(confidentiality="commercial")
        step_values = {
            "case_id": case.id,
            "name": "Second inquiry",
            "step_type": "inquiry",
            "party_signed": True,
        }
        line = {
            "employee_id": self.officer2.employee_id.id,
            "certificate_id": self.cert[self.officer2].id,
        }
        own = {
            "employee_id": self.officer.employee_id.id,
            "certificate_id": self.cert[self.officer].id,
        }
        Step = self.env["hr.enforcement.investigation"].with_user(self.officer)
        with self.assertRaisesRegex(UserError, "R20.1"):
            Step.create(dict(step_values, officer_line_ids=[(0, 0, own), (0, 0, line)]))
        self.assertNotIn(self.officer2, case.member_user_ids)
        self._approve_on_case(case, "admission", admitted_user_id=self.officer2.id)
        Step.create(dict(step_values, officer_line_ids=[(0, 0, own), (0, 0, line)]))
        self.assertIn(self.officer2, case.member_user_ids)

    def test_internal_cases_stay_visible(self):
        case = self._open_case()
        self.assertEqual(case.confidentiality, "internal")
        Case = self.env["hr.enforcement.case"]
        self.assertEqual(Case.with_user(self.officer2).search([("id", "=", case.id)]), case)

    def test_r20_1_state_secret_content_refused(self):
        """R20.1; 保守国家秘密法 (2024) 第三十一条(三): this system offers no "state secret"
        level; a state-secret record is registered as a paper file kept under the secrecy
        rules, and no file, attachment or chatter file of it is ever stored."""
        levels = dict(self.env["hr.enforcement.case"]._fields["confidentiality"].selection)
        self.assertNotIn("state_secret", levels)
        self.assertIn("work_secret", levels)
        case, _decision = self._served_case()
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        with self.assertRaisesRegex(UserError, "Say where the paper file"):
            self._text(case, self.doc_other, certificate_ids=[], secret_on_paper=True)
        record = self._text(
            case,
            self.doc_other,
            certificate_ids=[],
            secret_on_paper=True,
            paper_location="Secrecy office, cabinet 3, register 2026-07",
        )
        with self.assertRaisesRegex(UserError, "state secret kept on paper"):
            self._upload(record, PDF, "secret.pdf")
        self.assertFalse(record.file_ids)
        for user in (self.officer, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "state secret kept on paper"):
                self.env["ir.attachment"].with_user(user).create(
                    {
                        "name": "secret.pdf",
                        "raw": PDF,
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
        with self.assertRaisesRegex(UserError, "state secret kept on paper"):
            record.with_user(self.officer).message_post(
                body="Scan", message_type="comment", attachments=[("secret.pdf", PDF)]
            )
        with self.assertRaisesRegex(UserError, "never changed by hand"):
            record.with_user(self.officer).write({"secret_on_paper": False})
        with_file = self._text(case, self.doc_other, certificate_ids=[], name="Scan")
        self._upload(with_file, PDF, "scan.pdf")
        with self.assertRaisesRegex(UserError, "has files on this system"):
            with_file.sudo()._app().write({"secret_on_paper": True, "paper_location": "Cabinet 3"})
        with_file.with_user(self.officer).action_seal()
        # sealed without a file; the catalog says where the paper is
        record.with_user(self.officer).action_seal()
        self.assertTrue(record.sealed)
        self._end_enforcement(case)
        # the archivist of confidential files is cleared for them
        self.archivist.groups_id = [(4, self.env.ref("hr_enforcement_archive.group_cleared").id)]
        case_file = self._case_file(case)
        case_file.action_assemble()
        item = case_file.item_ids.filtered(lambda i: i.text_record_id == record)
        self.assertIn("cabinet 3", item.no_file_reason)


@tagged("post_install", "-at_install")
class TestNeedToKnowWithoutCase(ArchiveCase):
    """R20.1, R22.2: a record tied to no case holds no case content — also when the link to
    the case is empty at its first step (a scan of a forged code names no service)."""

    def test_r22_2_supervisor_reads_the_forged_scan_the_screen_said_was_logged(self):
        Service = self.env["hr.enforcement.service"]
        action = Service.with_user(self.officer).action_scan_code("HRE" + "B" * 32)
        self.assertIn("logged", action["params"]["message"])
        scans = self.env["hr.enforcement.receipt.scan"].with_user(self.supervisor)
        forged = scans.search([("result", "=", "forged")])
        self.assertEqual(len(forged), 1)
        self.assertEqual(forged.user_id, self.officer)
