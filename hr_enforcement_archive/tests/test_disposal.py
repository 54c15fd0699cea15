import os

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.tests.test_chain_head import pdf_text

from .common import PDF, ArchiveCase


@tagged("post_install", "-at_install")
class TestDisposal(ArchiveCase):
    """Appraisal and disposal (鉴定销毁) through an approved 销毁清册: never before the
    retention ends, never under a disposal hold, never for a permanent file (档案法 第二十一条;
    R18.3, R21.1)."""

    def _archived_file(self, data):
        with freeze_time("2026-12-06"):
            case_file = self._case_file(self._ended_case(data, "decision-scan.pdf"))
            case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        return case_file

    def _list(self, *case_files):
        return (
            self.env["hr.enforcement.disposal"]
            .with_user(self.archivist)
            .create(
                {
                    "case_file_ids": [(6, 0, [f.id for f in case_files])],
                    "appraisal_opinion": "Retention ended; no further value found.",
                }
            )
        )

    def _request(self, disposal):
        request = (
            self.env["hr.enforcement.approval"]
            .with_user(self.archivist)
            .create(
                {
                    "res_model": disposal._name,
                    "res_id": disposal.id,
                    "kind": "disposal",
                    "proposal": "Dispose of the files listed.",
                    "reviewer_id": self.reviewer.id,
                    "approver_id": self.approver.id,
                }
            )
        )
        request.action_submit()
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Checked.")
        return request

    def test_r18_3_disposal_refused_before_the_date_and_under_hold(self):
        case_file = self._archived_file(PDF + b"%first\n")
        self.assertEqual(str(case_file.disposal_due), "2057-01-01")
        with freeze_time("2056-12-31"):
            disposal = self._list(case_file)
            with self.assertRaisesRegex(UserError, "kept until 2057-01-01"):
                self._request(disposal)
        with freeze_time("2057-01-01"):
            case_file.with_user(self.archivist).write(
                {"disposal_hold": True, "disposal_hold_reason": "Litigation pending"}
            )
            with self.assertRaisesRegex(UserError, "Litigation pending"):
                self._request(disposal)
            case_file.with_user(self.archivist).write({"disposal_hold": False})
            request = self._request(disposal)
            # the approver decides the list as proposed: nothing is added once submitted
            other = self._archived_file(PDF + b"%other\n")
            with self.assertRaisesRegex(UserError, "being decided"):
                disposal.with_user(self.archivist).write({"case_file_ids": [(4, other.id)]})
            # a hold set while the list waits for its approver stops the approval
            case_file.with_user(self.archivist).write(
                {"disposal_hold": True, "disposal_hold_reason": "Reconsideration filed"}
            )
            with self.assertRaisesRegex(UserError, "Reconsideration filed"):
                request.with_user(self.approver)._transition("approved", approval_opinion="Agreed.")
            self.assertEqual(disposal.state, "draft")
            with self.assertRaisesRegex(UserError, "once approved"):
                disposal.with_user(self.archivist).action_dispose()
        self.assertEqual(case_file.state, "archived")

    def test_r18_3_permanent_files_are_never_listed(self):
        line = self.env.ref("hr_enforcement_archive.retention_rule_penalty")
        line.with_user(self.archivist).write({"retention": "permanent"})
        line.with_user(self.archivist).action_confirm()
        case_file = self._archived_file(PDF + b"%permanent\n")
        self.assertFalse(case_file.disposal_due)
        with freeze_time("2200-01-01"), self.assertRaisesRegex(UserError, "kept permanently"):
            self._request(self._list(case_file))

    def test_r18_3_approved_list_disposes_of_the_bytes_and_keeps_the_record(self):
        case_file = self._archived_file(PDF + b"%disposed\n")
        shared = self._archived_file(PDF + b"%shared\n")
        keeper = self._archived_file(PDF + b"%shared\n")  # the same bytes, stored once
        files = self.env["hr.enforcement.evidence.file"].sudo()
        every = files.search([("case_id", "=", case_file.case_id.id)])
        # the scan is this case's alone (the fixture's decision bytes are every case's)
        own = every.filtered(lambda f: f.name == "decision-scan.pdf")
        own_paths = [self.store._full_path(f.store_fname) for f in own]
        shared_file = files.search(
            [("case_id", "=", shared.case_id.id), ("name", "=", "decision-scan.pdf")]
        )
        self.assertIn(
            shared_file.store_fname,
            files.search([("case_id", "=", keeper.case_id.id)]).mapped("store_fname"),
        )
        with freeze_time("2057-01-02"):
            disposal = self._list(case_file, shared)
            request = self._request(disposal)
            request.with_user(self.approver)._transition("approved", approval_opinion="Agreed.")
            self.assertEqual(disposal.state, "approved")
            with self.assertRaisesRegex(UserError, "Only an archivist"):
                disposal.with_user(self.officer).action_dispose()
            disposal.with_user(self.archivist).action_dispose()
        self.env.cr.postcommit.run()  # what runs once the disposal commits
        self.assertEqual((case_file.state, disposal.state), ("disposed", "disposed"))
        self.assertTrue(case_file.archived, "the file's record stays, frozen")
        self.assertEqual(set(every.mapped("fixity_state")), {"disposed"})
        self.assertFalse(any(os.path.exists(path) for path in own_paths), "bytes removed")
        self.assertTrue(
            os.path.exists(self.store._full_path(shared_file.store_fname)),
            "bytes another kept file shares stay",
        )
        self.assertFalse(own._verify(), "a disposed file is not reported damaged")
        with self.assertRaises(UserError):
            own[:1].with_user(self.officer)._get_download_location("Work")
        event = (
            self.env["hr.enforcement.event"]
            .sudo()
            .search([("case_id", "=", case_file.case_id.id)], order="sequence desc", limit=1)
        )
        self.assertIn(disposal.name, event.description)
        with self.assertRaisesRegex(UserError, "no longer changes"):
            disposal.with_user(self.archivist).unlink()
        pdf = self.env["ir.actions.report"]._render_qweb_pdf(
            "hr_enforcement_archive.action_report_disposal_list", disposal.ids
        )[0]
        self.assertTrue(pdf.startswith(b"%PDF-"))
        text = pdf_text(pdf)
        self.assertIn(case_file.archive_number, text)
        self.assertIn(self.approver.name, text, "the approver is on the list")
