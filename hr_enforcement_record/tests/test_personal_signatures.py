import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_signed_documents import PASSPHRASE, SignedDocumentCase, flat, run


@tagged("post_install", "-at_install")
class TestPersonalSignatures(SignedDocumentCase):
    """R21.1 (电子签名法 第十三、十四条): the reviewer and the approver hold certificates of
    their own under the bureau's CA; each signs their opinion when they take their step.
    Checked with `openssl cms -verify`, never with the code that signed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.personal = {
            user: cls._personal_key(user, f"{user.name}个人证书")
            for user in (cls.reviewer, cls.approver)
        }

    @classmethod
    def _personal_key(cls, user, common_name):
        openssl = lambda *args: run("openssl", *args, cwd=cls.dir)
        stem = f"person{user.id}"
        openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{stem}.key", "-out",
            f"{stem}.csr", "-utf8", "-subj", f"/CN={common_name}/O={cls.env.company.name}",
        )  # fmt: skip
        openssl(
            "x509", "-req", "-in", f"{stem}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{stem}.pem", "-days", "20", "-extfile", "seal.cnf",
        )  # fmt: skip
        openssl(
            "pkcs12", "-export", "-inkey", f"{stem}.key", "-in", f"{stem}.pem", "-certfile",
            "ca.pem", "-out", f"{stem}.p12", "-passout", f"pass:{PASSPHRASE}",
        )  # fmt: skip
        return (
            cls.env["hr.enforcement.signing.key"]
            .with_user(cls.manager)
            .create(
                {
                    "name": common_name,
                    "user_id": user.id,
                    "pkcs12_file": base64.b64encode((cls.dir / f"{stem}.p12").read_bytes()),
                    "passphrase": PASSPHRASE,
                }
            )
        )

    def _cms_verify(self, signature, text):
        """openssl's verdict on a detached CMS signature of `text` under the test CA."""
        (self.dir / "opinion.sig").write_bytes(base64.b64decode(signature))
        (self.dir / "opinion.txt").write_bytes(text.encode())
        return run(
            "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "opinion.sig",
            "-content", "opinion.txt", "-CAfile", "ca.pem", "-purpose", "any", "-out",
            "/dev/null", cwd=self.dir, check=False,
        )  # fmt: skip

    def _decision_request(self):
        case = self._decided_case()
        request = self.env["hr.enforcement.approval"].search(
            [("case_id", "=", case.id), ("kind", "=", "decision")], order="id desc", limit=1
        )
        return case, request

    def test_r21_1_reviewer_and_approver_sign_their_own_opinions(self):
        """Each signature verifies with openssl against the CA, names its holder, covers the
        opinion as written with the step and its time; one changed byte fails it. The
        handler holds no certificate: the proposal stays unsigned."""
        _case, request = self._decision_request()
        self.assertFalse(request.proposal_signature, "no certificate, no signature")
        for slot, user, opinion, result in (
            ("review", self.reviewer, "Reviewed: lawful.", "reviewed"),
            ("approval", self.approver, "Approved.", "approved"),
        ):
            signature, text = request[f"{slot}_signature"], request[f"{slot}_signed_text"]
            self.assertTrue(signature, f"the {slot} is signed")
            self.assertIn(self.personal[user].subject, request[f"{slot}_signer"])
            for line in (f"opinion: {opinion}", f"result: {result}", f"signer: {user.login}"):
                self.assertIn(line, text)
            verdict = self._cms_verify(signature, text)
            self.assertEqual(verdict.returncode, 0, verdict.stderr)
            self.assertIn(b"Verification successful", verdict.stderr)
            forged = self._cms_verify(signature, text.replace(opinion, opinion + " "))
            self.assertNotEqual(forged.returncode, 0, "one changed byte fails it")

    def test_r21_1_signatures_are_never_written_by_hand(self):
        """Nobody — the signer, a manager, an administrator — writes a signature, its signer
        or its text: they are the step's, made on the server as the holder acts."""
        _case, request = self._decision_request()
        admin = self.env.ref("base.user_admin")
        for user in (self.reviewer, self.manager, admin):
            for field in ("review_signature", "review_signer", "review_signed_text"):
                with self.assertRaises(UserError):
                    request.with_user(user).write({field: base64.b64encode(b"forged")})

    def test_r21_1_a_personal_certificate_is_nobody_elses(self):
        """A person's certificate signs only their own steps; an archived one signs none;
        the bureau's seal is never a person's (documents are sealed with the bureau's)."""
        self.personal[self.reviewer].write({"active": False})
        _case, request = self._decision_request()
        self.assertFalse(request.review_signature, "archived: the review is unsigned")
        self.assertTrue(request.approval_signature)
        self.assertEqual(request.approval_signer, self.personal[self.approver].subject)
        key = self.env["hr.enforcement.signing.key"]._active_for(self.env.company)
        self.assertEqual(key, self.key, "issuing seals with the bureau's certificate")

    def test_r21_1_internal_form_prints_who_signed_electronically(self):
        """The 内部程序审批表 names, under each signed opinion, the holder of the certificate
        that signed it; the unsigned proposal keeps room to sign by hand."""
        case, _request = self._decision_request()
        kind = self.env.ref("hr_enforcement_record.document_type_approval_form")
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kind.id, "evidence_text_ids": self._text(case).ids})
        )
        record = self.env["hr.enforcement.text.record"].browse(wizard.action_issue()["res_id"])
        text = flat(self._pdf_text(record))
        for user in (self.reviewer, self.approver):
            self.assertIn(flat(f"Signed electronically: {user.name}个人证书"), text)
        self.assertEqual(text.count("Signedelectronically"), 2, "the proposal is unsigned")
