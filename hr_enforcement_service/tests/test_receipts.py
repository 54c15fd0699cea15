import base64
import io
import subprocess
import tempfile
from unittest.mock import patch

import qrcode
from PIL import Image
from pyzbar import pyzbar

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.report import cjk_pdf
from odoo.addons.hr_enforcement_record.report.cjk_pdf import (
    find_font,
    missing_glyphs,
    register_font,
)
from odoo.addons.hr_enforcement_record.tests.test_signed_documents import assert_pdfa_2b

from ..models.hr_enforcement_service_receipt import MAX_RECEIPTS, RECEIPTS_REPORT
from .common import ServiceCase


def render_first_page(pdf_bytes, dpi=150):
    """The first page of a PDF as a PIL image, rendered by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        source = f"{folder}/receipts.pdf"
        with open(source, "wb") as handle:
            handle.write(pdf_bytes)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", source, f"{folder}/page"],
            check=True,
        )
        with open(f"{folder}/page-1.png", "rb") as handle:
            return Image.open(io.BytesIO(handle.read())).convert("L")


@tagged("post_install", "-at_install")
class TestReceiptPdf(ServiceCase):
    """The printed 送达回证: reportlab PDF, embedded CJK font, QR code read back (R14.1-R14.6)."""

    def _render(self, services):
        stream = io.BytesIO()
        services._render_receipts(stream)
        return stream.getvalue()

    def test_qr_decoded_from_rendered_pdf_resolves_to_the_receipt(self):
        case, decision = self._served_case()
        first = self._service(case, decision, "direct")
        second = self._service(case, decision, "lodged", refusal_reason="Refused at the door")
        (first | second).with_user(self.officer).action_print_receipts()
        pdf = self._render(first | second)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page "), 2)
        symbols = pyzbar.decode(render_first_page(pdf))
        self.assertEqual(len(symbols), 1, "one QR code on the page, readable by zbar")
        code = symbols[0].data.decode("ascii")
        self.assertEqual(code, first.receipt_code)
        self.assertEqual(self._scan(code), (first, "valid"))

    def test_r14_1_a_qr_code_stored_in_eight_bits_still_prints_and_scans(self):
        """Receipts issued before the codes were stored in one bit per module (grey-scale
        PNGs of 8 bits) print as they are: the inline image takes the PNG's depth."""
        case, decision = self._served_case()
        service = self._service(case, decision, "lodged", refusal_reason="Refused at the door")
        service.with_user(self.officer).action_issue_receipt()
        one_bit = Image.open(io.BytesIO(base64.b64decode(service.receipt_qr)))
        self.assertEqual(one_bit.mode, "1", "stored in one bit per module")
        eight_bits = io.BytesIO()
        one_bit.convert("L").save(eight_bits, "PNG")
        service._app().write({"receipt_qr": base64.b64encode(eight_bits.getvalue())})
        pdf = self._render(service)
        symbols = pyzbar.decode(render_first_page(pdf))
        self.assertEqual([s.data.decode("ascii") for s in symbols], [service.receipt_code])
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn("Refused: Refused at the door", text, "the method's remarks")

    def test_r23_1_receipts_from_the_print_menu_are_pdfa_2b(self):
        """R23.1 (DA/T 47): the receipts our page writer draws are PDF/A-2b like every
        printout — checked with poppler and qpdf — and give their Chinese text back."""
        case, decision = self._served_case()
        services = self._service(case, decision, "direct") | self._service(
            case, decision, "postal", tracking_number="EA123456789CN"
        )
        services.with_user(self.officer).action_issue_receipt()
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            .with_context(lang="zh_CN")
            ._render_qweb_pdf(RECEIPTS_REPORT, services.ids)
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            assert_pdfa_2b(self, handle.name, self.env.company.name)
            text = subprocess.run(
                ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        flat = "".join(text.split())
        for expected in ("送达回证", "EA123456789CN", *services.mapped("receipt_code")):
            self.assertIn(expected, flat)

    def test_cjk_font_embedded_and_every_glyph_present(self):
        """Never boxes: the font is embedded and draws every character printed."""
        case, decision = self._served_case()
        service = self._service(case, decision, "direct", place="大连市金普新区人社局")
        service.action_issue_receipt()
        zh = service.with_context(lang="zh_CN")
        labels = zh._get_receipt_labels()
        self.assertEqual(labels["title"], "送达回证", "the zh_CN translation is used")
        data = zh._get_receipt_data()
        self.assertEqual(data["method"], "直接送达")
        font = register_font(find_font())
        printed = [value for key, value in data.items() if key != "qr_png"]
        text = "".join(labels.values()) + "".join(str(value) for value in printed)
        self.assertFalse(missing_glyphs(font, text))
        self.assertTrue(missing_glyphs(font, "\U0001f600"), "the check can fail")
        pdf = self._render(zh)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            fonts = subprocess.run(
                ["pdffonts", handle.name], capture_output=True, text=True, check=True
            ).stdout
        face = font.face.name.decode()
        cjk = [line for line in fonts.splitlines() if face in line]
        self.assertTrue(cjk, fonts)
        self.assertRegex(cjk[0], r"TrueType\s+\S+\s+yes yes", "embedded as a subset")

    def test_r14_1_receipt_carries_the_issuing_authority_seal_area_and_issue_date(self):
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        service.action_issue_receipt()
        self.env.company.name = "大连市金普新区人力资源和社会保障局"
        zh = service.with_context(lang="zh_CN")
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=self._render(zh), capture_output=True, check=True
        ).stdout.decode()
        flat = "".join(text.split())
        self.assertEqual(flat.count("大连市金普新区人力资源和社会保障局"), 2, "heading and issuer")
        labels = zh._get_receipt_labels()
        for key in ("issuer", "issued_on", "seal"):
            self.assertIn("".join(labels[key].split()), flat)
        self.assertIn("".join(zh._get_receipt_data()["issued_on"].split()), flat)

    def test_r14_1_printing_again_shows_the_same_receipt(self):
        """Printing again or refreshing the PDF never voids the paper already printed."""
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        action = service.with_user(self.officer).action_print_receipts()
        self.assertEqual(action["report_name"], "hr_enforcement_service.report_service_receipts")
        self.assertEqual(action["context"]["active_ids"], service.ids)
        printed = service.receipt_code
        service.with_user(self.officer).action_print_receipts()
        # the Print menu's report renders the same receipt again
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_pdf(
            action["report_name"], service.ids
        )
        self.assertEqual((service.receipt_version, service.receipt_code), (1, printed))
        self.assertEqual(self._scan(printed)[1], "valid")

    def test_r14_1_reprint_is_explicit_revokes_the_old_paper_and_is_logged(self):
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        service.with_user(self.officer).action_print_receipts()
        old = service.receipt_code
        action = service.with_user(self.officer).action_reprint_receipts()
        self.assertEqual(action["report_name"], "hr_enforcement_service.report_service_receipts")
        self.assertEqual(service.receipt_version, 2)
        self.assertEqual(self._scan(old)[1], "revoked")
        self.assertEqual(self._scan(service.receipt_code)[1], "valid")
        for record in (service, case):
            self.assertIn("version 1 is refused", record.message_ids[:1].body)

    def test_r14_1_qr_made_when_the_receipt_is_issued_not_when_printed(self):
        """The QR matrix is computed once per receipt version and stored; printing draws
        the stored code (the receipts of a print run cost no QR encoding)."""
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        service.with_user(self.officer).action_issue_receipt()
        stored = Image.open(io.BytesIO(base64.b64decode(service.receipt_qr)))
        large = stored.resize((stored.width * 8, stored.height * 8), Image.NEAREST)
        self.assertEqual(pyzbar.decode(large)[0].data.decode(), service.receipt_code)
        with patch.object(qrcode.QRCode, "make", side_effect=AssertionError("QR at print")):
            service.with_user(self.officer)._render_receipts(io.BytesIO())
        first = service.receipt_qr
        service.with_user(self.officer).action_reprint_receipts()
        self.assertNotEqual(service.receipt_qr, first, "a new version, a new code")

    def test_r14_1_a_print_run_is_capped(self):
        services = self.env["hr.enforcement.service"].browse(range(1, MAX_RECEIPTS + 2))
        with self.assertRaisesRegex(UserError, "at most"):
            services._check_printable()

    def test_receipts_of_the_case_exclude_returned_ones(self):
        case, decision = self._served_case()
        with self.assertRaisesRegex(UserError, "no service"):
            case.with_user(self.officer).action_print_service_receipts()
        service = self._service(case, decision, "direct")
        case.with_user(self.officer).action_print_service_receipts()
        self.assertEqual(service.receipt_version, 1)

    def test_missing_font_is_a_clear_error(self):
        service = self._printed()
        self.env["ir.config_parameter"].sudo().set_param(
            "hr_enforcement.receipt_font", "/nonexistent.ttf"
        )
        self.assertEqual(service._check_receipt_font(), find_font(), "falls back to a system font")
        with (
            patch(f"{cjk_pdf.__name__}.FONT_CANDIDATES", ()),
            self.assertRaisesRegex(UserError, "fonts-wqy-microhei"),
        ):
            service.with_user(self.officer).action_print_receipts()
        self.assertEqual(service.receipt_version, 1, "no new version without a printable receipt")

    def test_render_needs_issued_codes(self):
        case, decision = self._served_case()
        with self.assertRaisesRegex(UserError, "Issue the receipt codes"):
            self._service(case, decision, "direct")._render_receipts(io.BytesIO())


@tagged("post_install", "-at_install")
class TestReceiptReturn(ServiceCase):
    """Registering the signed receipt that came back, from a scan (R14.1-R14.6, R22.3)."""

    def _wizard(self, service, **values):
        action = (
            self.env["hr.enforcement.service"]
            .with_user(self.officer)
            .action_scan_code(service.receipt_code)
        )
        self.assertEqual(action["res_model"], "hr.enforcement.receipt.return")
        return (
            self.env["hr.enforcement.receipt.return"]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create(
                dict(
                    {
                        "signer_name": "Zhou Fang",
                        "scan": base64.b64encode(b"%PDF-1.4 signed receipt"),
                        "scan_name": "signed.pdf",
                    },
                    **values,
                )
            )
        )

    def test_valid_scan_registers_the_return_with_the_scan_as_evidence(self):
        service = self._printed()
        self._wizard(service).action_confirm()
        self.assertTrue(service.returned)
        self.assertEqual(service.return_signer_name, "Zhou Fang")
        record = service.return_record_id
        self.assertTrue(record.sealed, "the returned receipt is a sealed record of the case")
        self.assertEqual(record.case_id, service.case_id)
        self.assertEqual(len(record.file_ids), 1)
        self.assertEqual(len(record.file_ids.sha256), 64, "stored with its fixity hash")
        record.file_ids._verify()
        self.assertEqual(record.file_ids.fixity_state, "ok")

    def test_return_scanned_twice_refused_with_a_message(self):
        service = self._printed()
        wizard = self._wizard(service)
        second = self._wizard(service)
        wizard.action_confirm()
        with self.assertRaisesRegex(UserError, "already"):
            second.action_confirm()
        action = (
            self.env["hr.enforcement.service"]
            .with_user(self.officer)
            .action_scan_code(service.receipt_code)
        )
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self._last_scan().result, "replayed")

    def test_r14_2_postal_return_needs_the_ems_number(self):
        case, decision = self._served_case()
        service = self._service(case, decision, "postal", postal_kind="ems")
        service.action_issue_receipt()
        with self.assertRaisesRegex(UserError, "EMS"):
            self._wizard(service).action_confirm()
        self.assertFalse(service.returned, "nothing half-saved")
        self.assertFalse(
            self.env["hr.enforcement.text.record"].search(
                [("case_id", "=", case.id), ("name", "like", "Service receipt")]
            )
        )
        self._wizard(service, tracking_number="EE987654321CN").action_confirm()
        self.assertEqual(service.return_tracking_number, "EE987654321CN")

    def test_return_without_scan_refused(self):
        service = self._printed()
        with self.assertRaisesRegex(UserError, "scan"):
            service.action_register_return(self._return_values(), b"", "empty.pdf")
        self.assertFalse(service.returned)

    def test_invalid_codes_reveal_nothing(self):
        service = self._printed()
        for code in ("garbage", "HRE" + "A" * 500, service.receipt_code[:-2] + "AA"):
            action = (
                self.env["hr.enforcement.service"].with_user(self.officer).action_scan_code(code)
            )
            self.assertEqual(action["type"], "ir.actions.client")
            message = action["params"]["message"]
            self.assertNotIn(service.recipient_id.name, message)
            self.assertNotIn(service.case_id.name, message)
        self.assertEqual(
            self.env["hr.enforcement.receipt.scan"].search([], limit=3).mapped("result"),
            ["forged", "malformed", "malformed"],
        )

    def test_wizard_cannot_be_pointed_at_another_receipt(self):
        service = self._printed()
        other = self._printed()
        wizard = self._wizard(service)
        wizard.sudo().service_id = other
        with self.assertRaisesRegex(UserError, "again"):
            wizard.action_confirm()
        self.assertFalse(other.returned)
