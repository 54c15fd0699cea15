from odoo import _, _lt, api, fields, models
from odoo.exceptions import ValidationError

# What a statutory document states, in this order (R12.1, R13.1); a type lists its own.
SECTIONS = {
    "party": _lt("Party"),
    "complainant": _lt("Complainant"),
    "complaint": _lt("Decision Not to Take Up the Complaint and Its Reasons"),
    "application": _lt("Application"),
    "officers": _lt("Officers and Their Certificates"),
    "facts": _lt("Facts Found"),
    "evidence": _lt("Evidence"),
    "legal_basis": _lt("Legal Basis"),
    "factors": _lt("Factors Considered"),
    "proposed": _lt("Proposed Decision"),
    "rights": _lt("Your Rights and Their Periods"),
    "preservation": _lt("Evidence Registered and Preserved"),
    "decision": _lt("Decision"),
    "performance": _lt("Period, Manner and Amount of Performance"),
    "statement_rights": _lt("Your Right to State and Defend"),
    "remedies": _lt("Remedies"),
    "cancellation": _lt("Reasons for Cancelling"),
    # internal forms only: each person's opinion, date and signature
    "people": _lt("Opinions and Signatures"),
}


class HrEnforcementDocumentType(models.Model):
    """The catalogue of enforcement documents (R3.2, R9.1), shipped as data and editable by
    managers: what each document needs (two certified officers, an AV record, preservation
    facts, a legal basis and remedies)."""

    _name = "hr.enforcement.document.type"
    _description = "Enforcement Document Type"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    requirement_ref = fields.Char("Requirement", help="The requirement IDs behind this type.")
    needs_officers = fields.Boolean(
        "Needs Two Certified Officers", help="Investigation records (R8.1)."
    )
    needs_av = fields.Boolean(
        "Needs an AV Record",
        help="On-site inspection, sampling and hearings are AV-recorded, or the reason why "
        "not is written (R10.1).",
    )
    is_preservation = fields.Boolean("Evidence Preservation", help="R11.1")
    is_decision = fields.Boolean("Decision Document", help="R13.1")
    is_transcript = fields.Boolean(
        "Transcript (笔录)",
        help="Printed from the case for the signatures, never numbered with a 文号.",
    )
    counter_document = fields.Boolean(
        help="Issued to an applicant at the counter, printed from the application (R6.1)."
    )
    needs_party_signature = fields.Boolean(help="Signed by the party, or refusal recorded (R9.2).")

    number_pattern = fields.Char(
        "Document No. Pattern",
        help="How the document is numbered (文号), on a sequence without gaps per type and "
        "year: {year} and {number}, e.g. 金普人社罚决字〔{year}〕第{number}号. Types with a "
        "pattern are issued from the case, filled from it and printed.",
    )
    statutory_sections = fields.Char(
        help="What the issued document states, in order, as the shipped types show; the "
        "README lists the sections.",
    )
    approval_kind = fields.Selection(
        # the approvals that have a form of their own (R3.2, R21.1)
        [
            ("case_opening", "Opening of the case"),
            ("decision", "Decision"),
            ("closing", "Closing of the case"),
            ("cancellation", "Cancellation of the case"),
            ("preservation", "Prior registration and preservation of evidence"),
        ],
        help="An internal form (审批表) of this approval: it prints the proposal, the review "
        "and the approval with each person's opinion, date and signature, and bears no "
        "external seal; only internal forms name the people who handled the case.",
    )
    opening_text = fields.Text(
        translate=True,
        help="Wording printed after the party, before the sections (e.g. 经查：).",
    )
    closing_text = fields.Text(
        translate=True,
        help="Wording printed after the sections, above the authority's name (e.g. 特此告知。).",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The code of a document type is unique.")]

    @api.constrains("number_pattern", "is_transcript")
    def _check_transcript_unnumbered(self):
        if self.filtered(lambda kind: kind.is_transcript and kind.number_pattern):
            raise ValidationError(_("A transcript (笔录) carries no document number (文号)."))

    @api.constrains("number_pattern", "statutory_sections", "approval_kind")
    def _check_number_pattern(self):
        for kind in self.filtered("number_pattern"):
            try:
                kind.number_pattern.format(year=2026, number=1)
            except (KeyError, IndexError, ValueError) as error:
                raise ValidationError(
                    _("%(name)s: the pattern may use {year} and {number} only.", name=kind.name)
                ) from error
            if "people" in kind._sections() and not kind.approval_kind:
                raise ValidationError(
                    _(
                        "%(name)s: only internal forms name the people who handled the case.",
                        name=kind.name,
                    )
                )
            unknown = set(kind._sections()) - set(SECTIONS)
            if unknown:
                raise ValidationError(
                    _(
                        "%(name)s: unknown sections %(sections)s.",
                        name=kind.name,
                        sections=", ".join(sorted(unknown)),
                    )
                )

    def _sections(self):
        return [key.strip() for key in (self.statutory_sections or "").split(",") if key.strip()]

    def _next_document_number(self, company, day):
        """The next 文号 of this type for `company` in the year of `day`: a sequence of its
        own per type and company, without gaps (its number is drawn in the transaction
        that stores the document, and a stored document is never deleted)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()  # officers draw numbers, not manage them
        code = f"hr.enforcement.document.{self.code}"
        sequence = Sequence.search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self.name,
                    "code": code,
                    "company_id": company.id,
                    "implementation": "no_gap",
                    "use_date_range": True,
                    "padding": 0,
                }
            )
        number = sequence.next_by_id(sequence_date=day)
        return self.number_pattern.format(year=day.year, number=number)
