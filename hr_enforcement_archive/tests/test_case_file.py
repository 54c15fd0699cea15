import io
import subprocess
from datetime import date

from freezegun import freeze_time
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.report.cjk_pdf import wrap

from ..report import case_file_pdf
from ..report.case_file_pdf import page_ranges
from .common import PDF, ArchiveCase


@tagged("post_install", "-at_install")
class TestCaseFile(ArchiveCase):
    """Case files, the four checks and the lock (R18.1, R18.3, R22.3, R22.4)."""

    def test_r18_1_open_case_cannot_be_archived(self):
        case, _decision = self._served_case()
        with self.assertRaisesRegex(UserError, "R18.1"):
            self._case_file(case).action_archive_file()

    def test_r18_1_archive_numbers_follow_the_pattern_without_gaps(self):
        first = self._case_file(self._ended_case())
        second = self._case_file(self._ended_case())
        first.action_archive_file()
        second.action_archive_file()
        year = first.archived_on.year
        # penalty case files are kept 30 years by the shipped schedule (D30)
        self.assertEqual(first.archive_number, f"J001-{year}-D30-ZF-0001")
        self.assertEqual(second.archive_number, f"J001-{year}-D30-ZF-0002")
        self.assertEqual(first.case_id.stage, "closed", "archiving closes the case")
        self.assertEqual(
            first.chain_head,
            self.env["hr.enforcement.event"]
            .sudo()
            .search(
                [("case_id", "=", first.case_id.id), ("sequence", "<", 10**6)],
                order="sequence desc",
                limit=2,
            )[1]
            .hash,
            "the chain head at archiving is printed on the file (the archiving event follows)",
        )

    def test_r18_3_retention_comes_from_the_confirmed_schedule(self):
        """R18.3 (档案法 第二十一条; 国家档案局令第8号 第十二条): the period is the longest of
        the schedule lines for the file's category and its documents; an archivist's change
        to a line is logged and applies only once confirmed again; the file is never kept
        for less."""
        decision_line = self.env.ref("hr_enforcement_archive.retention_rule_decision")
        case_file = self._case_file(self._ended_case())
        case_file.action_assemble()
        decision = case_file.item_ids.filtered(
            lambda i: i.text_record_id.document_type_id == self.doc_decision
        )
        self.assertEqual((decision.retention, case_file.retention), ("30y", "30y"))
        with self.assertRaises(AccessError):
            decision_line.with_user(self.officer).write({"retention": "permanent"})
        with self.assertRaisesRegex(UserError, "Only an archivist"):
            decision_line.with_user(self.officer).action_confirm()
        decision_line.with_user(self.archivist).write({"retention": "permanent"})
        self.assertFalse(decision_line.confirmed_on, "a changed line waits for confirmation")
        self.env.cr.precommit.run()  # tracking values are written as the transaction ends
        tracked = decision_line.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "retention"
        )
        self.assertEqual(tracked.new_value_char, "Permanent", "the change is logged")
        case_file.action_assemble()
        self.assertEqual(case_file.retention, "permanent", "the longest period wins")
        case_file.action_archive_file()
        self.assertFalse(case_file.archived, "an unconfirmed line stops the archiving")
        self.assertIn("not confirmed", case_file.last_check_id.failures)
        decision_line.with_user(self.archivist).action_confirm()
        with self.assertRaisesRegex(ValidationError, "R18.3"):
            case_file.retention = "10y"
        case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        self.assertFalse(case_file.disposal_due, "a permanent file is never due for disposal")
        with self.assertRaisesRegex(UserError, "never deleted"):
            decision_line.with_user(self.archivist).sudo().unlink()

    def test_r18_3_a_category_without_schedule_line_is_not_archived(self):
        self.env.ref("hr_enforcement_archive.retention_rule_penalty").with_user(
            self.archivist
        ).action_archive()
        case_file = self._case_file(self._ended_case())
        case_file.action_archive_file()
        self.assertFalse(case_file.archived)
        self.assertIn("no line for case files", case_file.last_check_id.failures)
        self.assertEqual(case_file.retention, "30y", "its decision's line still applies")

    def test_r18_3_disposal_due_at_the_end_of_retention(self):
        """R18.3: the retention period runs from 1 January of the year after archiving:
        archived on 6 December 2026 and kept 30 years (the schedule's period for penalty
        case files and their decisions), the file is kept through 2056 and due for
        appraisal on 1 January 2057 — on 31 December as on 1 January."""
        for archived, due in (("2026-12-06", date(2057, 1, 1)), ("2026-01-01", date(2057, 1, 1))):
            with freeze_time(archived):
                case_file = self._case_file(self._ended_case())
                case_file.action_archive_file()
            self.assertEqual(case_file.retention, "30y")
            self.assertEqual(case_file.disposal_due, due, archived)
        case_file.write({"disposal_hold": True, "disposal_hold_reason": "Litigation pending"})
        self.assertTrue(case_file.disposal_hold, "a hold can be set on an archived file")

    def test_r18_3_catalog_order_and_longest_retention(self):
        case = self._ended_case()
        case_file = self._case_file(case)
        case_file.action_assemble()
        items = case_file.item_ids
        self.assertEqual(items.mapped("sequence"), list(range(1, len(items) + 1)))
        decision = items.filtered(lambda i: i.text_record_id.document_type_id.is_decision)
        self.assertEqual(decision.retention, "30y")
        other = items.filtered(lambda i: i.name == "Notice")
        self.assertFalse(other.retention, "no line names this document type")
        self.assertEqual(other.page_count, 1)

    def test_r18_1_catalog_in_the_standard_order_and_reordered_by_the_archivist(self):
        """The standard order of an enforcement case file (立案 → 调查取证 → 告知 → 审核/讨论 →
        决定 → 送达 → 执行 → 结案): evidence gathered after the decision was drafted still comes
        before it; the archivist may move an item before archiving, never after."""
        case_file = self._case_file(self._ended_case())
        case_file.action_assemble()
        items = case_file.item_ids
        notice = items.filtered(lambda i: i.name == "Notice")  # an investigation document
        decision = items.filtered(lambda i: i.text_record_id.document_type_id.is_decision)
        self.assertLess(notice.sequence, decision.sequence, "investigation before decision")
        self.assertGreater(
            notice.text_record_id.id, decision.text_record_id.id, "though recorded after it"
        )
        before, after = notice.sequence, decision.sequence
        notice.write({"sequence": after})  # the archivist swaps the two
        decision.write({"sequence": before})
        moved = {item.id: item.sequence for item in case_file.item_ids}
        case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        self.assertEqual(
            {item.id: item.sequence for item in case_file.item_ids}, moved, "archived as moved"
        )
        with self.assertRaisesRegex(UserError, "locked"):
            notice.write({"sequence": 1})

    def test_catalog_counts_the_pages_of_pdfs(self):
        stream = io.BytesIO()
        pdf = canvas.Canvas(stream)
        for text in ("page one", "page two", "page three"):
            pdf.drawString(100, 700, text)
            pdf.showPage()
        pdf.save()
        case_file = self._case_file(self._ended_case(stream.getvalue(), "minutes.pdf"))
        case_file.action_assemble()
        item = case_file.item_ids.filtered(lambda i: i.name == "Notice")
        self.assertEqual(item.page_count, 3)
        self.assertEqual(case_file.page_count, sum(case_file.item_ids.mapped("page_count")))
        case_file.action_check()
        self.assertTrue(case_file.last_check_passed, case_file.last_check_id.failures)

    def test_r14_1_service_pending_or_without_its_signed_receipt_keeps_the_file_open(self):
        """A case with a service still to serve is not archived (R14, R18.1), nor one served
        in person whose signed 送达回证 has not come back (民事诉讼法 第八十七条: the receipt is
        the proof of service); once archived, its passed check report is never replaced
        (R22.3); archiving answers RPC clients."""
        case, decision = self._served_case()
        pending = self._service(case, decision, "direct")
        self._document(case)
        self._end_enforcement(case)
        case_file = self._case_file(case)
        refusal = case_file.action_archive_file()
        self.assertEqual(refusal["params"]["type"], "danger")
        self.assertIn(pending.name, case_file.last_check_id.failures)
        pending.write({"signer_name": "Zhou", "signer_relation": "recipient", "signed": True})
        pending.action_register_served()
        refusal = case_file.action_archive_file()
        self.assertEqual(refusal["params"]["type"], "danger")
        self.assertIn("signed service receipt has not come back", case_file.last_check_id.failures)
        self.assertFalse(case_file.archived)
        pending.with_user(self.officer).action_register_return(
            self._return_values(), PDF, "signed-receipt.pdf"
        )
        self.assertIs(case_file.action_archive_file(), True, case_file.last_check_id.failures)
        self.assertTrue(case_file.archived)
        passed = case_file.last_check_id
        with self.assertRaisesRegex(UserError, "R18.3"):
            case_file.action_check()
        self.assertEqual(case_file.last_check_id, passed, "the passed report stays")

    def test_r18_1_records_added_while_archiving_are_sealed_with_the_file(self):
        """R18.1, R22.3: records added at the archiving stage — one sealed, one still open
        with its file — do not make archiving fail; the file seals what it holds, then
        locks the case."""
        case = self._ended_case()
        self.assertEqual(case.stage, "archiving")
        self._document(case, name="Receipt of the archive transfer")
        late = self._text(case, self.doc_other, certificate_ids=[], name="Transfer note")
        self._upload(late, PDF, "transfer.pdf")
        self.assertFalse(late.sealed)
        case_file = self._case_file(case)
        self.assertIs(case_file.action_archive_file(), True, case_file.last_check_id.failures)
        self.assertTrue(case_file.archived)
        self.assertTrue(late.sealed, "sealed as the file holds it")
        self.assertIn(late, case_file.item_ids.text_record_id)
        with self.assertRaisesRegex(UserError, "R18.3|R22.3"):
            late.with_user(self.officer).write({"name": "Changed after archiving"})

    def test_archive_number_collision_refused_nothing_half_done(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "hr_enforcement.archive_number_pattern", "{fonds}-{year}"
        )
        self._case_file(self._ended_case()).action_archive_file()
        case = self._ended_case()
        case_file = self._case_file(case)
        with self.assertRaisesRegex(ValidationError, "used already"):
            case_file.action_archive_file()
        self.assertFalse(case_file.archived)
        self.assertEqual(case.stage, "archiving")

    def test_r22_3_archived_file_and_records_locked(self):
        case = self._ended_case()
        case_file = self._case_file(case)
        case_file.action_archive_file()
        texts = self.env["hr.enforcement.text.record"].search([("case_id", "=", case.id)])
        files = self.env["hr.enforcement.evidence.file"].search([("case_id", "=", case.id)])
        for target, vals in (
            (case.sudo(), {"subject": "Changed"}),
            (texts[:1].sudo(), {"confidentiality": "work_secret"}),
            (files[:1].sudo(), {"name": "renamed.pdf"}),
            (case_file.sudo(), {"retention": "10y"}),
            (case_file.item_ids[:1].sudo(), {"name": "x"}),
        ):
            with self.assertRaisesRegex(UserError, "R22.3"):
                target.write(vals)
        with self.assertRaisesRegex(UserError, "R22.3"):
            texts[:1].sudo().unlink()
        decision = texts.filtered(lambda t: t.document_type_id.is_decision)
        with self.assertRaisesRegex(UserError, "R22.3"):
            self._service(case, decision, "direct")
        with self.assertRaisesRegex(UserError, "R22.3"):
            case_file.sudo().unlink()
        result = (
            self.env["hr.enforcement.case"]
            .sudo()
            .load([".id", "subject"], [[str(case.id), "Imported"]])
        )
        self.assertTrue(result["messages"], "an import is refused with a message")
        self.assertNotEqual(case.subject, "Imported")
        files[:1].sudo()._verify()  # the fixity job still runs on archived files
        self.assertEqual(files[:1].fixity_state, "ok")

    def test_r18_1_a_record_added_at_archiving_is_sealed_and_the_file_archived(self):
        """Issue 24 item 12: a record added during the archiving stage no longer makes
        archiving fail ("the case is Closed" while sealing it): the case's records are
        sealed, then the case closes and everything locks (R18.1, R22.3)."""
        case = self._ended_case()
        late = self._text(case, self.doc_other, certificate_ids=[], name="Note added at archiving")
        self._upload(late, PDF, "late-note.pdf")
        self.assertFalse(late.sealed)
        case_file = self._case_file(case)
        case_file.action_archive_file()
        self.assertTrue(case_file.archived)
        self.assertEqual(case.stage, "closed")
        self.assertTrue(late.sealed, "sealed before the case closed")
        self.assertIn(late, case_file.item_ids.text_record_id, "in the catalog")

    def test_authenticity_fails_on_a_tampered_file(self):
        case = self._ended_case()
        evidence = self.env["hr.enforcement.evidence.file"].search(
            [("case_id", "=", case.id)], limit=1
        )
        path = self.store._full_path(evidence.sudo().store_fname)
        with open(path, "r+b") as handle:
            handle.seek(3)
            handle.write(b"X")
        case_file = self._case_file(case)
        refusal = case_file.action_archive_file()
        self.assertEqual(refusal["params"]["type"], "danger")
        self.assertIn("Authenticity", refusal["params"]["message"])
        check = case_file.last_check_id
        self.assertFalse(check.passed, "the failed report is kept")
        self.assertIn(evidence.name, check.failures)
        self.assertFalse(case_file.archived)
        with self.assertRaisesRegex(UserError, "never changed"):
            check.sudo().write({"passed": True})
        with self.assertRaisesRegex(UserError, "never changed or deleted"):
            check.sudo().unlink()

    def _refused(self, case_file, expected):
        refusal = case_file.action_archive_file()
        self.assertIn(expected, refusal["params"]["message"])
        self.assertFalse(case_file.archived, "nothing archived while a check fails")
        self.assertEqual(case_file.case_id.stage, "archiving")

    def test_usability_refuses_formats_off_the_list(self):
        case = self._ended_case(b"\x00\x00\x00\x14ftypqt  quicktime", "clip.mov")
        self._refused(self._case_file(case), "Usability")

    def test_security_refuses_encrypted_files(self):
        encrypted = PDF.replace(b"trailer<<>>", b"trailer<</Encrypt 5 0 R>>")
        self._refused(self._case_file(self._ended_case(encrypted, "protected.pdf")), "Security")

    def test_usability_refuses_a_file_that_does_not_open(self):
        case_file = self._case_file(self._ended_case(b"%PDF-1.4 cut short", "cut.pdf"))
        self._refused(case_file, "does not open")

    def test_r18_1_integrity_refuses_an_item_without_file_unless_excused_in_writing(self):
        case = self._ended_case()
        self._text(case, self.doc_other, certificate_ids=[], name="Notice of hearing")
        case_file = self._case_file(case)
        case_file.action_assemble()
        case_file.action_check()
        self.assertFalse(case_file.last_check_passed, "a catalog item with no file")
        self.assertIn("Notice of hearing, has no file", case_file.last_check_id.failures)
        item = case_file.item_ids.filtered(lambda i: i.name == "Notice of hearing")
        item.write({"no_file_reason": "   "})
        case_file.action_check()
        self.assertFalse(case_file.last_check_passed, "blank is not a reason")
        item.write({"no_file_reason": "Delivered orally at the hearing; see the transcript."})
        case_file.action_check()
        self.assertTrue(case_file.last_check_passed, case_file.last_check_id.failures)

    def test_integrity_refuses_gaps_in_the_numbering(self):
        case_file = self._case_file(self._ended_case())
        case_file.action_assemble()
        case_file.item_ids[:1].unlink()
        case_file.action_check()
        self.assertFalse(case_file.last_check_passed)
        self.assertIn("gaps", case_file.last_check_id.failures)

    def test_cover_sheet_carries_the_chain_head(self):
        """The cover (R18.1; DA/T 22): archive number, the file's title as <party><subject>,
        the dates as GB/T 9704 writes them, who filed and who checked it, the chain head."""
        case_file = self._case_file(self._ended_case())
        case_file.action_archive_file()
        stream = io.BytesIO()
        case_file.with_context(lang="zh_CN")._render_cover(stream)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=stream.getvalue(), capture_output=True, check=True
        ).stdout.decode()
        flat = "".join(text.split())
        self.assertIn(case_file.chain_head, flat)
        self.assertIn(case_file.archive_number, text)
        case = case_file.case_id
        self.assertIn("".join(f"{case.partner_id.name}{case.subject}案".split()), flat)
        archived = case_file.archived_on
        self.assertIn(f"{archived.year}年{archived.month}月{archived.day}日", flat)
        self.assertNotIn(str(archived), flat, "no ISO dates on the cover")
        for label in ("立卷人", "检查人"):
            self.assertIn(label, flat)
        self.assertIn(case_file.last_check_id.create_uid.name.replace(" ", ""), flat)

    def test_r18_1_catalog_follows_da_t_22(self):
        """卷内目录 of DA/T 22: 序号, 文号, 责任者, 题名, 日期, 页号 as page ranges; long
        titles wrap inside their column instead of running over the date."""
        self.assertEqual(page_ranges([1, 3, 2, 1]), ["1", "2-4", "5-6", "7"])
        title = "关于金普新区某建筑工程有限公司拖欠农民工工资一案的现场检查笔录及询问笔录汇编" * 2
        case = self._ended_case()
        self._document(case, name=title, document_number="金普人社监〔2026〕7号")
        case_file = self._case_file(case)
        case_file.action_assemble()
        item = case_file.item_ids.filtered(lambda i: i.name == title)
        # 责任者 of an issued document is the body that issued it, not its drafter
        self.assertEqual(item.responsible, case.company_id.name)
        stream = io.BytesIO()
        case_file._render_cover(stream)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=stream.getvalue(), capture_output=True, check=True
        ).stdout.decode()
        flat = "".join(text.split())  # a narrow column wraps its English label
        for label in ("No.", "DocumentNo.", "ResponsibleBody", "Title", "PageNo.", "Remarks"):
            self.assertIn(label, flat)
        width = dict(case_file_pdf.COLUMNS)["name"]
        lines = wrap(title, width * mm)
        self.assertGreater(len(lines), 2, "the title wraps")
        for line in lines:
            self.assertIn(line, text, "every part of the title is printed")
        total = sum(case_file.item_ids.mapped("page_count"))
        self.assertIn(page_ranges(case_file.item_ids.mapped("page_count"))[-1], text)
        self.assertTrue(
            page_ranges(case_file.item_ids.mapped("page_count"))[-1].endswith(str(total))
        )
        self.assertIn(item.date.strftime("%Y%m%d"), text)

    def test_officers_cannot_archive(self):
        case_file = self._case_file(self._ended_case())
        with self.assertRaises(AccessError):
            case_file.with_user(self.officer).write({"disposal_hold": True})

    def test_errors_in_chinese(self):
        """Users read the refusals in zh_CN."""
        case, _decision = self._served_case()
        self.archivist.lang = "zh_CN"
        case_file = self._case_file(case).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "尚未终结"):
            case_file.action_archive_file()

    def test_r18_1_closing_needs_the_archived_file(self):
        """Only archiving closes an ended case; a context flag from RPC does not."""
        case = self._ended_case()
        with self.assertRaisesRegex(UserError, "R18.1"):
            case.with_user(self.manager).with_context(hr_enforcement_archiving=True).action_close()
        self.assertEqual(case.stage, "archiving")
