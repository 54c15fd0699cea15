import base64
import io
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from asn1crypto import cms
from PIL import Image

from odoo import _
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.web.controllers.utils import clean_action

from ..models.hr_enforcement_document_type import SECTIONS
from ..report.statutory_pdf import write_statutory_document
from .test_evidence import EvidenceCase
from .tsa_authority import LocalTimestampAuthority

PASSPHRASE = "seal-passphrase"


def flat(text):
    """`text` without any white space: pdftotext breaks Chinese lines anywhere."""
    return "".join(text.split())


def run(*args, data=None, check=True, cwd=None):
    return subprocess.run(args, input=data, capture_output=True, check=check, cwd=cwd)


def assert_pdfa_2b(test, path, author):
    """The PDF/A-2b structure of the file at `path`, read by poppler and qpdf: every font
    embedded (no Courier), XMP with the identification, the author and a real creation
    date, an sRGB output intent, and no syntax or stream error."""
    fonts = run("pdffonts", path).stdout.decode().splitlines()[2:]
    test.assertTrue(fonts)
    for line in fonts:
        test.assertRegex(line, r"\syes\s+yes\s+yes\s", f"not embedded: {line}")
        test.assertNotIn("Courier", line)
    meta = run("pdfinfo", "-meta", path).stdout.decode()
    test.assertIn('pdfaid:part="2"', meta)
    test.assertIn('pdfaid:conformance="B"', meta)
    info = run("pdfinfo", path).stdout.decode()
    test.assertRegex(info, rf"Author:\s+{re.escape(author)}")
    test.assertNotRegex(info, r"CreationDate:.*2000")
    test.assertRegex(info, r"CreationDate:.*20\d\d")
    catalog = run("qpdf", "--show-object=trailer", path).stdout.decode()
    root = re.search(r"/Root (\d+) 0 R", catalog).group(1)
    root_text = run("qpdf", f"--show-object={root}", path).stdout.decode()
    intents = re.search(r"/OutputIntents \[ (\d+) 0 R \]", root_text)
    test.assertTrue(intents, root_text)
    intent = run("qpdf", f"--show-object={intents.group(1)}", path).stdout.decode()
    test.assertIn("/S /GTS_PDFA1", intent)
    test.assertIn("/DestOutputProfile", intent)
    test.assertEqual(run("qpdf", "--check", path, check=False).returncode, 0)


@tagged("post_install", "-at_install")
class SignedDocumentCase(EvidenceCase):
    """A bureau certificate made with openssl under its own CA, and a real RFC 3161 authority
    on this machine: what a document carries is checked with poppler, qpdf and openssl,
    never with the code that wrote it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.authority = LocalTimestampAuthority().start()
        cls.addClassCleanup(cls.authority.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("hr_enforcement.tsa_url", cls.authority.url)
        params.set_param("hr_enforcement.tsa_certificates", cls.authority.ca_pem)
        tmp = tempfile.TemporaryDirectory(prefix="hr_enforcement_seal_")
        cls.addClassCleanup(tmp.cleanup)
        cls.dir = Path(tmp.name)
        cls.common_name = f"{cls.env.company.name}电子印章"
        openssl = lambda *args: run("openssl", *args, cwd=cls.dir)
        openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "30", "-utf8", "-subj", "/CN=政务电子认证测试CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        )  # fmt: skip
        openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "seal.key", "-out", "seal.csr",
            "-utf8", "-subj", f"/CN={cls.common_name}/O={cls.env.company.name}",
        )  # fmt: skip
        (cls.dir / "seal.cnf").write_text(
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
        )
        openssl(
            "x509", "-req", "-in", "seal.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "seal.pem", "-days", "20", "-extfile", "seal.cnf",
        )  # fmt: skip
        openssl(
            "pkcs12", "-export", "-inkey", "seal.key", "-in", "seal.pem", "-certfile", "ca.pem",
            "-out", "seal.p12", "-passout", f"pass:{PASSPHRASE}",
        )  # fmt: skip
        cls.pkcs12 = (cls.dir / "seal.p12").read_bytes()
        Key = cls.env["hr.enforcement.signing.key"]
        Key.search([]).write({"active": False})  # the demo's seal makes way for the bureau's
        cls.key = Key.with_user(cls.manager).create(
            {
                "name": "Bureau seal",
                "pkcs12_file": base64.b64encode(cls.pkcs12),
                "passphrase": PASSPHRASE,
                "seal_image": base64.b64encode(cls.env["hr.enforcement.demo"]._demo_seal_png()),
            }
        )

    def _issue(self, case, xmlid="document_type_case_opening"):
        kind = self.env.ref(f"hr_enforcement_record.{xmlid}")
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kind.id, "name": kind.name})
        )
        return self.env["hr.enforcement.text.record"].browse(wizard.action_issue()["res_id"])

    def _pdf_file(self, data, name="document.pdf"):
        path = self.dir / name
        path.write_bytes(data)
        return str(path)

    def _pdfsig(self, data):
        return run("pdfsig", self._pdf_file(data), check=False).stdout.decode()

    def _signature_timestamp(self, data):
        """The time-stamp token (DER) in the unsigned attributes of the PDF's CMS, and the
        signature value it must imprint, read from /Contents with asn1crypto."""
        match = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", data)
        content_info = cms.ContentInfo.load(bytes.fromhex(match.group(1).decode()).rstrip(b"\0"))
        signer = content_info["content"]["signer_infos"][0]
        for attribute in signer["unsigned_attrs"] or []:
            if attribute["type"].native == "signature_time_stamp_token":
                return attribute["values"][0].dump(), signer["signature"].native
        return None, signer["signature"].native


class TestSignedDocuments(SignedDocumentCase):
    def test_r12_1_issued_document_verifies_with_pdfsig_and_one_byte_breaks_it(self):
        """R12.1, R14 (电子签名法 第十三条): the stored original is signed by the bureau's
        certificate; poppler's pdfsig validates it, and fails it once a byte changes."""
        record = self._issue(self._open_case())
        data = self._stored_bytes(record.file_ids)
        report = self._pdfsig(data)
        self.assertIn("Signature Validation: Signature is Valid.", report)
        self.assertIn(f"Signer Certificate Common Name: {self.common_name}", report)
        self.assertIn("ETSI.CAdES.detached", report, "a PAdES signature (ETSI EN 319 142)")
        self.assertIn("Total document signed", report)
        # one byte of the page changed (inside the signed range, outside the signature)
        position = data.index(b"stream\n") + 20
        altered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
        self.assertNotIn("Signature is Valid.", self._pdfsig(altered))

    def test_r22_3_signature_carries_a_time_stamp_openssl_verifies(self):
        """R22.3 (DA/T 97 可信时间戳): the signature holds the authority's RFC 3161 token over
        its own value; openssl ts verifies it against the authority's CA."""
        queries = self.authority.queries
        record = self._issue(self._open_case())
        self.assertGreater(self.authority.queries, queries)
        token, signature = self._signature_timestamp(self._stored_bytes(record.file_ids))
        self.assertTrue(token, "the signature carries a time-stamp token (PAdES B-T)")
        (self.dir / "tsa-ca.pem").write_text(self.authority.ca_pem)
        verified = run(
            "openssl", "ts", "-verify", "-in", self._pdf_file(token, "token.der"), "-token_in",
            "-data", self._pdf_file(signature, "signature.bin"),
            "-CAfile", str(self.dir / "tsa-ca.pem"), check=False,
        )  # fmt: skip
        self.assertIn(b"Verification: OK", verified.stdout, verified.stderr)

    def test_r22_3_authority_down_still_seals_and_says_so(self):
        """R22.3: an unreachable time-stamping authority does not stop issuing; the document
        is sealed without a token and the record says so to its issuer."""
        self.authority.refuse = True
        self.addCleanup(setattr, self.authority, "refuse", False)
        record = self._issue(self._open_case())
        data = self._stored_bytes(record.file_ids)
        self.assertIn("Signature is Valid.", self._pdfsig(data))
        self.assertIsNone(self._signature_timestamp(data)[0])
        said = " ".join(record.message_ids.mapped("body"))
        self.assertIn("Sealed without a trusted time stamp", said)

    def test_r23_1_issued_document_is_pdfa_2b(self):
        """R23.1 (DA/T 47: 版式文件 PDF/A): every font embedded (no Courier), XMP with the
        PDF/A-2b identification, an sRGB output intent, a real creation date and author,
        and the Chinese text read back by pdftotext."""
        record = self._issue(self._open_case())
        path = self._pdf_file(self._stored_bytes(record.file_ids))
        assert_pdfa_2b(self, path, self.env.company.name)
        text = run("pdftotext", path, "-").stdout.decode()
        self.assertIn(record.document_number, text)
        self.assertIn(self.env.company.name, text)


class TestSigningKey(SignedDocumentCase):
    def test_r12_1_key_is_written_never_read_back(self):
        """电子签名法 第十三条 (the key held by the signatory alone): a manager uploads the
        certificate and sees its subject and validity; the archive and its passphrase are read
        by no one through the ORM, the manager included."""
        self.env.invalidate_all()  # as the next request reads it
        key = self.key.with_user(self.manager)
        self.assertIn(self.common_name, key.subject)
        self.assertTrue(key.valid_to and key.fingerprint)
        self.assertFalse(key.pkcs12_file)
        self.assertFalse(key.passphrase)
        for field in ("key_data", "key_passphrase"):
            with self.assertRaises(AccessError):
                key.read([field])
        for user in (self.officer, self.reviewer, self.approver):
            with self.assertRaises(AccessError):
                self.key.with_user(user).read(["subject"])

    def test_r12_1_wrong_passphrase_refused_in_chinese_terms(self):
        with self.assertRaises(ValidationError):
            self.env["hr.enforcement.signing.key"].with_user(self.manager).create(
                {
                    "name": "Wrong",
                    "active": False,
                    "pkcs12_file": base64.b64encode(self.pkcs12),
                    "passphrase": "not it",
                    "seal_image": self.key.seal_image,
                }
            )

    def test_r12_1_no_certificate_no_document_and_no_number_taken(self):
        """R12.1: a document that cannot be sealed is not issued, and takes no 文号."""
        case = self._open_case()
        self.key.write({"active": False})
        self.addCleanup(self.key.write, {"active": True})
        before = self.env["hr.enforcement.text.record"].search_count([])
        with self.assertRaisesRegex(UserError, "signing certificate"):
            self._issue(case)
        self.assertEqual(self.env["hr.enforcement.text.record"].search_count([]), before)


class TestDocumentTemplates(SignedDocumentCase):
    """R12.1, R13.1: every document type of the catalogue, taken from the data so that a
    type added later is covered, prints its own sections in its statutory layout; read
    back with pdftotext and rendered to an image with pdftoppm."""

    def _render(self, case, kind, wizard):
        record = self.env["hr.enforcement.text.record"].new(
            {
                "case_id": case.id,
                "document_type_id": kind.id,
                "name": kind.name,
                "document_number": False if kind.is_transcript else "金普人社测字〔2026〕第1号",
            }
        )
        stream = io.BytesIO()
        write_statutory_document(
            stream, case._get_pdf_font(), wizard._content(record, date(2026, 12, 4))
        )
        return stream.getvalue()

    def test_r12_1_each_type_prints_its_sections_in_its_layout(self):
        self.party.sudo().write(
            {"enforcement_legal_representative": "王建国", "street": "金马路 1 号"}
        )
        case = self._open_case(
            facts="Wages of 12 workers unpaid since July.",
            legal_basis="劳动保障监察条例 第二十六条",
            penalty_kind="fine",
            fine_amount=2000,
        )
        transcript = self._text(case)
        kinds = self.env["hr.enforcement.document.type"].search(
            [
                ("counter_document", "=", False),
                "|",
                ("number_pattern", "!=", False),
                ("is_transcript", "=", True),
            ]
        )
        self.assertGreater(len(kinds), 15)
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kinds[0].id})
        )
        self.assertEqual(wizard.evidence_text_ids, transcript, "the case's evidence, offered")
        for kind in kinds:
            with self.subTest(type=kind.code):
                wizard.document_type_id = kind
                path = self._pdf_file(self._render(case, kind, wizard), f"{kind.code}.pdf")
                text = flat(run("pdftotext", path, "-").stdout.decode())
                self.assertIn(flat(kind.name), text)
                for key in kind._sections():
                    label = _("Opinion") if key == "people" else str(SECTIONS[key])
                    self.assertIn(flat(label), text, f"{kind.code}: section {key}")
                if "party" in kind._sections():
                    # the name once, then the USCC and the legal representative
                    self.assertEqual(text.count(flat(self.party.name)), 1, text)
                    self.assertIn("91210213MA0QD6P213", text)
                    self.assertIn("王建国", text)
                if "evidence" in kind._sections():
                    self.assertIn(flat(f"1. {transcript.name}"), text)
                if kind.approval_kind:
                    # an internal form: each person's opinion, no seal, no external foot
                    for role in ("Handler's proposal", "Reviewer's opinion", "Approver's opinion"):
                        self.assertIn(flat(role), text)
                    self.assertNotIn("2026年12月4日", text)
                else:
                    self.assertIn("2026年12月4日", text, "GB/T 9704 date")
                    self.assertNotIn(flat(self.reviewer.name), text, "no internal names outside")
                run("pdftoppm", "-r", "30", "-png", "-singlefile", path, path[:-4])
                image = Image.open(f"{path[:-4]}.png").convert("L")
                inked = sum(1 for value in image.getdata() if value < 128)
                self.assertGreater(inked, 200, f"{kind.code}: the page is drawn")

    def test_r13_1_decision_names_review_body_court_and_payment(self):
        """行政复议法 第二十条, 行政诉讼法 第四十六条, 行政处罚法 第六十七条: a penalty decision
        names where to seek remedies, where and by when to pay; without them it is refused."""
        company = self.env.company
        case = self._open_case(penalty_kind="fine", fine_amount=2000)
        self._text(case)
        kind = self.env.ref("hr_enforcement_record.document_type_penalty_decision")
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kind.id})
        )
        text = flat(
            run("pdftotext", self._pdf_file(self._render(case, kind, wizard)), "-").stdout.decode()
        )
        for expected in (
            company.enforcement_review_body,
            company.enforcement_court,
            company.enforcement_fine_bank,
            "within 60 days",
            "within 6 months",
            "within 15 days",
        ):
            self.assertIn(flat(expected), text)
        review_body = company.enforcement_review_body
        company.enforcement_review_body = False
        self.addCleanup(setattr, company, "enforcement_review_body", review_body)
        with self.assertRaisesRegex(UserError, "reconsideration body"):
            wizard._check_remedies(case, kind)

    def test_r12_1_evidence_is_what_the_officer_chose_from_this_case(self):
        case = self._open_case()
        other = self._open_case()
        kind = self.env.ref("hr_enforcement_record.document_type_penalty_notice")
        Issue = self.env["hr.enforcement.document.issue"].with_user(self.officer)
        wizard = Issue.with_context(default_case_id=case.id).create({"document_type_id": kind.id})
        with self.assertRaisesRegex(UserError, "Choose the evidence"):
            wizard._check_evidence(case, kind)
        wizard.evidence_text_ids = self._text(other)
        with self.assertRaisesRegex(UserError, "Only the transcripts"):
            wizard._check_evidence(case, kind)
        opening = self._issue(case)  # an issued form is not evidence
        wizard.evidence_text_ids = opening
        with self.assertRaisesRegex(UserError, "Only the transcripts"):
            wizard._check_evidence(case, kind)


@tagged("post_install", "-at_install")
class TestPrintMenu(SignedDocumentCase):
    def test_r20_1_every_printout_is_a_report_in_its_records_print_menu(self):
        """Every printout of the addons, found from the data, is an ir.actions.report bound
        to its model's Print menu and reaches the web client with what its handler needs
        (Odoo's clean_action keeps report_file); no server action poses as a report."""
        reports = self.env["ir.actions.report"].search(
            [("report_file", "=", "hr_enforcement_reportlab")]
        )
        self.assertGreaterEqual(len(reports), 7)
        for report in reports:
            with self.subTest(report=report.report_name):
                self.assertEqual(report.binding_model_id.model, report.model)
                self.assertEqual(report.binding_type, "report")
                # as an officer's button returns it (an administrator without a document
                # layout is first sent to Odoo's layout configurator)
                action = clean_action(report.with_user(self.officer).report_action([]), self.env)
                self.assertEqual(action["report_file"], "hr_enforcement_reportlab")
        modules = ("hr_enforcement_record", "hr_enforcement_service", "hr_enforcement_archive")
        posing = self.env["ir.model.data"].search(
            [("module", "in", modules), ("model", "=", "ir.actions.server")]
        )
        servers = self.env["ir.actions.server"].browse(posing.mapped("res_id"))
        self.assertFalse(servers.filtered(lambda action: action.binding_type == "report"))
