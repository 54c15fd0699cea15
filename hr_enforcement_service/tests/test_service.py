import contextlib
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestServiceMethods(ServiceCase):
    """R14.1–R14.6: each method of service records its own facts before it counts as done."""

    def test_r14_1_direct_service_needs_signature(self):
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        with self.assertRaisesRegex(ValidationError, "R14.1"):
            service.action_register_served()
        self.assertEqual(service.state, "draft", "nothing half-saved")
        service.write({"signer_name": "Zhou Fang", "signer_relation": "recipient", "signed": True})
        service.action_register_served()
        self.assertEqual(service.state, "served")

    def test_r14_2_postal_registered_or_ems_only(self):
        case, decision = self._served_case()
        with self.assertRaisesRegex(ValidationError, "R14.2"):
            self._service(case, decision, "postal", postal_kind="ordinary")
        service = self._service(case, decision, "postal", postal_kind="ems")
        with self.assertRaisesRegex(ValidationError, "R14.2"):
            service.action_register_served()
        service.write(
            {
                "tracking_number": "EE123456789CN",
                "mail_register_ref": "2026-0042",
                "postage_voucher_ref": "Voucher for decision 金普人社罚〔2026〕3号",
                "receipt_proof": "Signed EMS return card",
            }
        )
        service.action_register_served()

    def test_r14_3_lodged_service_needs_witness_and_av(self):
        case, decision = self._served_case()
        service = self._service(
            case,
            decision,
            "lodged",
            refusal_reason="Refused to sign at the door",
            witness_name="Community officer Li",
            server_signed=True,
            witness_signed=True,
        )
        with self.assertRaisesRegex(ValidationError, "R14.3"):
            service.action_register_served()
        service.av_record_id = self._av(case)
        service.action_register_served()

    def test_r14_4_public_notice_after_failed_attempts(self):
        case, decision = self._served_case()
        attempt = self._service(case, decision, "direct")
        notice = self._service(
            case,
            decision,
            "public_notice",
            service_date=False,
            notice_medium="Bureau website and notice board",
            publication_date="2026-11-02",
            notice_text="Public notice of the penalty decision",
            av_record_id=self._av(case).id,
            failed_attempt_ids=[(6, 0, attempt.ids)],
        )
        self.assertEqual(notice.deemed_served_date, date(2026, 12, 2), "30 days by default")
        with self.assertRaisesRegex(ValidationError, "R14.4"):
            notice.action_register_served()
        with self.assertRaisesRegex(UserError, "R14.4"):
            attempt.action_register_failed()
        attempt.failure_reason = "Nobody at the registered address"
        attempt.action_register_failed()
        notice.action_register_served()
        self.assertEqual(notice.service_date, date(2026, 12, 2))

    def test_r14_5_r14_6_entrusted_and_electronic_facts(self):
        case, decision = self._served_case()
        entrusted = self._service(case, decision, "entrusted")
        with self.assertRaisesRegex(ValidationError, "R14.5"):
            entrusted.action_register_served()
        facts = {
            "address_used": "zhou@example.com",
            "electronic_reason": "The party lives abroad and asked for e-mail.",
            "witness_name": "Li Na",
            "av_record_id": self._av(case).id,
        }
        electronic = self._service(case, decision, "electronic", **facts)
        with self.assertRaisesRegex(ValidationError, "Consent to Electronic Service"):
            electronic.action_register_served()

    def test_r14_6_fax_or_e_mail_only_with_the_party_s_signed_consent_given_before(self):
        """行政处罚法 第六十一条第二款: 当事人同意并签订确认书的，可以采用传真、电子邮件."""
        case, decision = self._served_case()
        consent_type = self.env.ref(
            "hr_enforcement_service.document_type_electronic_service_consent"
        )
        unsigned = self._text(
            case, consent_type, name="Consent", certificate_ids=[], party_signed=False
        )
        facts = {
            "address_used": "zhou@example.com",
            "electronic_reason": "The party asked for e-mail.",
            "witness_name": "Li Na",
            "av_record_id": self._av(case).id,
        }
        with self.assertRaisesRegex(ValidationError, "signed consent"):
            self._service(case, decision, "electronic", consent_record_id=unsigned.id, **facts)
        signed = self._text(
            case, consent_type, name="Consent", certificate_ids=[], party_signed=True
        )
        service = self._service(case, decision, "electronic", consent_record_id=signed.id, **facts)
        service.action_register_served()
        self.assertEqual(service.state, "served")
        with self.assertRaisesRegex(ValidationError, "before the service"):
            self._service(
                case,
                decision,
                "electronic",
                consent_record_id=signed.id,
                service_date=date(2020, 1, 1),
                **facts,
            )

    def test_unapproved_document_cannot_be_served(self):
        case = self._open_case()
        draft = self._text(case)
        with self.assertRaisesRegex(ValidationError, "R13.5"):
            self._service(case, draft, "direct")

    def test_r22_3_registered_service_is_final(self):
        case, decision = self._served_case()
        service = self._service(
            case, decision, "direct", signer_name="Zhou", signer_relation="recipient", signed=True
        )
        with self.assertRaisesRegex(UserError, "R14"):
            service.write({"state": "served"})
        service.action_register_served()
        with self.assertRaisesRegex(UserError, "R22.3"):
            service.write({"signer_name": "Someone else"})
        with self.assertRaisesRegex(UserError, "R22.3"):
            service.unlink()

    def test_r14_penalty_decision_served_within_7_working_days(self):
        """行政处罚法 第六十一条 with 第八十五条: decided 9/29, due 10/14 across National Day
        (9/30, 10/8, 10/9, Saturday 10/10 a make-up working day, 10/12, 10/13, 10/14)."""
        with freeze_time("2026-09-29"):
            case, decision = self._served_case()
            on_time = self._service(case, decision, "direct", service_date="2026-10-14")
            late = self._service(case, decision, "direct", service_date="2026-10-15")
        self.assertEqual(on_time.service_deadline, date(2026, 10, 14))
        self.assertFalse(on_time.served_late)
        self.assertTrue(late.served_late)


@tagged("post_install", "-at_install")
class TestReceiptCodes(ServiceCase):
    """Signed receipt codes: valid, tampered, revoked, replayed, other secret, garbage."""

    def test_code_is_opaque_ascii_and_resolves(self):
        service = self._printed()
        code = service.receipt_code
        self.assertRegex(code, r"^HRE[A-Z2-7]+$", "upper-case base32: safe for keyboard wedges")
        self.assertNotIn(self.recipient.name.upper().replace(" ", ""), code)
        found, result = self._scan(code.lower())
        self.assertEqual((found, result), (service, "valid"))
        self.assertEqual(self._last_scan().user_id, self.officer)

    def test_tampered_code_refused(self):
        code = self._printed().receipt_code
        flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
        self.assertEqual(self._scan(flipped)[1], "forged")
        self.assertEqual(self._last_scan().result, "forged")

    def test_reprint_revokes_the_old_code(self):
        service = self._printed()
        old = service.receipt_code
        service.action_issue_receipt()
        self.assertEqual(self._scan(old)[1], "revoked")
        self.assertEqual(self._scan(service.receipt_code)[1], "valid")

    def test_return_scanned_twice_is_a_replay(self):
        service = self._printed()
        found, _result = self._scan(service.receipt_code)
        found.action_register_return(self._return_values(), b"%PDF-1.4 signed", "signed.pdf")
        self.assertEqual(self._scan(service.receipt_code)[1], "replayed")
        with self.assertRaisesRegex(UserError, "already"):
            service.action_register_return(self._return_values(), b"%PDF-1.4 again", "again.pdf")

    def test_code_from_another_secret_or_database_refused(self):
        service = self._printed()
        code = service.receipt_code
        self.env["ir.config_parameter"].sudo().set_param("hr_enforcement.receipt_secret", "0" * 64)
        self.assertEqual(self._scan(code)[1], "forged")

    def test_garbage_and_very_long_input_refused(self):
        self._printed()
        for garbage in ("", "hello", "HRE!!!", "HRE" + "A" * 500, "ＨＲＥ１２３", None):
            with self.subTest(garbage=garbage):
                self.assertEqual(self._scan(garbage)[1], "malformed")
        self.assertLessEqual(len(self._last_scan().code or ""), 64)

    def test_receipt_fields_not_writable(self):
        service = self._printed()
        with self.assertRaisesRegex(UserError, "R14"):
            service.write({"receipt_version": 9})

    def test_lookup_is_one_query(self):
        service = self._printed()
        Service = self.env["hr.enforcement.service"]
        self.env.flush_all()
        self.env.cr.precommit.run()
        Service._lookup_receipt(service.receipt_code)  # warm the access and secret caches
        queries = []
        with contextlib.contextmanager(self._patchExecute)(queries, flush=False):
            found, result = Service._lookup_receipt(service.receipt_code)
        self.assertEqual(len(queries), 1, f"one indexed query (primary key): {queries}")
        self.assertEqual((found, result), (service, "valid"))
