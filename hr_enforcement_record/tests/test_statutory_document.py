from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_evidence import EvidenceCase


@tagged("post_install", "-at_install")
class TestStatutoryDocument(EvidenceCase):
    """Statutory documents issued from the case (R3.2, R12.1, R13.1): filled from it,
    numbered with a 文号 without gaps per type and year, printed, stored sealed."""

    def _issue(self, case, xmlid, user=None):
        kind = self.env.ref(f"hr_enforcement_record.{xmlid}")
        if "evidence" in kind._sections():
            self._evidence_of(case)
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(user or self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kind.id, "name": kind.name})
        )
        action = wizard.action_issue()
        return self.env["hr.enforcement.text.record"].browse(action["res_id"])

    def _issue_notice(self, case):
        """R16.1: the advance notice is written first, then its document issued from it."""
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"penalty_kind": "fine", "fine_amount": 2000})
        notice = (
            self.env["hr.enforcement.penalty.notice"]
            .with_user(self.officer)
            .create(
                {"case_id": case.id, "proposed_decision": "A fine of 2,000 yuan.", "reasons": "R"}
            )
        )
        with self.assertRaisesRegex(UserError, "advance notice"):
            self._issue(self._open_case(), "document_type_penalty_notice")
        self._evidence_of(case)
        action = notice.action_issue_document()
        return self.env["hr.enforcement.text.record"].browse(action["res_id"])

    def test_r12_1_issued_document_is_filled_numbered_printed_and_sealed(self):
        case = self._open_case(facts="Wages of 12 workers unpaid since July.")
        notice = self._issue_notice(case)
        year = notice.date.year
        # the demo's own notices come first: numbering goes on from them without a gap
        issued = self.env["hr.enforcement.text.record"].search_count(
            [("document_number", "like", f"金普人社罚告字〔{year}〕")]
        )
        self.assertEqual(notice.document_number, f"金普人社罚告字〔{year}〕第{issued}号")
        self.assertTrue(notice.sealed, "stored sealed (R22.3)")
        self.assertEqual(len(notice.file_ids), 1)
        self.assertEqual(notice.file_ids.name, f"{notice.document_number}.pdf")
        text = self._pdf_text(notice)
        for expected in (
            notice.document_number,
            self.party.name,
            "unpaid since July",
            "art. 57",
            "A fine of 2,000 yuan.",  # the proposed penalty (行政处罚法 art. 44)
            "within 3 working days",  # the party's rights and their periods
        ):
            self.assertIn(expected, text.replace("\n", ""))
        with self.assertRaisesRegex(UserError, "R22.3"):
            notice.write({"document_number": "forged"})
        # the next one of the type follows without a gap; another type counts on its own
        second = self._issue_notice(self._open_case())
        self.assertEqual(second.document_number, f"金普人社罚告字〔{year}〕第{issued + 1}号")
        opening = self._issue(case, "document_type_case_opening")
        self.assertEqual(opening.document_number, f"金普人社立字〔{year}〕第1号")

    def test_r12_1_a_document_number_is_drawn_only_by_the_numbering_and_never_changes(self):
        """R12.1, R22.3: a 文号 given on create, written on a record not yet sealed, reused
        from another record or carried by a copy is refused; the issued one stays."""
        case = self._open_case()
        kind = self.env.ref("hr_enforcement_record.document_type_case_opening")
        Text = self.env["hr.enforcement.text.record"].with_user(self.officer)
        values = {"case_id": case.id, "name": "Opening", "document_type_id": kind.id}
        with self.assertRaisesRegex(UserError, "R22.3"):
            Text.create(dict(values, document_number="金普人社立字〔2026〕第1号"))
        issued = self._issue(case, "document_type_case_opening")
        draft = Text.create(values)
        self.assertFalse(draft.document_number)
        with self.assertRaisesRegex(UserError, "R22.3"):
            draft.write({"document_number": issued.document_number})
        with self.assertRaisesRegex(ValidationError, "R12.1"):
            issued._app().write({"document_number": issued.document_number + "A"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            draft._app().write({"document_number": issued.document_number})
        number = draft._draw_document_number(fields.Date.today())
        self.assertNotEqual(number, issued.document_number)
        self.assertEqual(draft._draw_document_number(fields.Date.today()), number, "drawn once")

    def test_r13_1_decision_issued_only_once_approved_and_states_all_it_must(self):
        case = self._decided_case(
            factors_considered="First offence; wages paid during the investigation."
        )
        text = self._pdf_text(self._issue(case, "document_type_penalty_decision"))
        flat = text.replace("\n", "")
        for expected in (
            "Order to pay the wages and a fine.",  # the decision
            "First offence",  # factors considered
            "art. 57",  # legal basis
        ):
            self.assertIn(expected, flat)
        # the people who handled the case are named on internal forms only
        for internal in (self.reviewer.name, self.approver.name):
            self.assertNotIn(internal, flat)
        undecided = self._open_case()
        with self.assertRaisesRegex(UserError, "R21.1"):
            self._issue(undecided, "document_type_penalty_decision")

    def test_r20_1_an_issue_dialog_is_its_authors_alone(self):
        """R20.1: the dialog names the case and the document being drafted: another officer
        of the same department neither reads nor changes nor uses it."""
        case = self._open_case()
        kind = self.env.ref("hr_enforcement_record.document_type_case_opening")
        wizard = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .create({"case_id": case.id, "document_type_id": kind.id})
        )
        other = wizard.with_user(self.officer2)
        self.assertFalse(other.search([("id", "=", wizard.id)]))
        with self.assertRaises(AccessError):
            other.read(["document_type_id"])
        with self.assertRaises(AccessError):
            other.write({"name": "Taken over"})
        with self.assertRaises(AccessError):
            other.action_issue()
        self.assertTrue(wizard.read(["name"]), "its author still uses it")

    def test_r12_1_a_failed_issue_leaves_no_number_used(self):
        undecided = self._open_case()
        with self.assertRaisesRegex(UserError, "R21.1"):
            self._issue(undecided, "document_type_penalty_decision")
        case = self._decided_case()
        decision = self._issue(case, "document_type_penalty_decision")
        self.assertTrue(decision.document_number.endswith("第1号"))
        with self.assertRaises(UserError):
            self._issue(case, "document_type_penalty_notice", user=self.outsider)

    def test_r8_1_inquiry_form_names_its_two_officers_and_waits_for_signatures(self):
        """A transcript the party signs is printed pre-filled without a 文号, and sealed once
        signed and scanned (R8.1, R9.2)."""
        case = self._open_case()
        kind = self.env.ref("hr_enforcement_record.document_type_inquiry")
        Issue = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
        )
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            Issue.create({"document_type_id": kind.id, "name": kind.name}).action_issue()
        wizard = Issue.create(
            {
                "document_type_id": kind.id,
                "name": kind.name,
                "certificate_ids": [
                    (6, 0, (self.cert[self.officer] | self.cert[self.officer2]).ids)
                ],
            }
        )
        record = self.env["hr.enforcement.text.record"].browse(wizard.action_issue()["res_id"])
        self.assertFalse(record.document_number, "a 笔录 carries no 文号")
        self.assertFalse(record.sealed, "the party signs first (R9.2)")
        text = self._pdf_text(record).replace("\n", "")
        self.assertIn("CERT-officer1", text)
        self.assertIn("CERT-officer2", text)
        with self.assertRaisesRegex(ValidationError, "R9.2"):
            record.action_seal()
