from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MIN_OFFICERS = 2


class HrEnforcementTextRecord(models.Model):
    """A text record of a case (R3.2, R9.1–R9.3, R11.1, R12.1, R13.1): typed from the
    catalogue, numbered, authored, signed, with the officers present and their certificates.
    Officers on the case write it; it is sealed when submitted for review and frozen for good
    once the case is decided (R22.3)."""

    _name = "hr.enforcement.text.record"
    _description = "Text Record"
    _inherit = ["hr.enforcement.record.mixin"]
    _order = "date desc, id desc"

    name = fields.Char("Title", required=True, tracking=True)
    document_type_id = fields.Many2one(
        "hr.enforcement.document.type", required=True, tracking=True, ondelete="restrict"
    )
    # R12.1, R22.3: drawn from the type's numbering when the document is issued, unique per
    # type, company and year (the year is part of the number), and never changed
    document_number = fields.Char(
        "Document No. (文号)", readonly=True, copy=False, tracking=True, index="btree_not_null"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    author_id = fields.Many2one(
        "hr.employee", required=True, tracking=True, default=lambda self: self.env.user.employee_id
    )
    certificate_ids = fields.Many2many(
        "hr.enforcement.certificate", string="Officers Present (certificates)", tracking=True
    )
    certificates_shown = fields.Boolean(tracking=True)
    party_signed = fields.Boolean("Signed or Sealed by the Party", tracking=True)
    officers_signed = fields.Boolean("Signed by the Officers", tracking=True)
    refusal_note = fields.Text("Refusal Recorded", help="Refusal to cooperate or to sign (R9.3).")
    preservation_reason = fields.Text(help="R11.1")
    preservation_object = fields.Text(help="R11.1")
    preservation_form = fields.Selection(
        [
            ("registration", "Prior registration and preservation notice"),
            ("copy", "Copy"),
            ("av", "Audio-visual recording"),
            ("appraisal", "Appraisal"),
            ("inspection", "Inspection"),
            ("inquiry", "Inquiry transcript"),
        ],
        help="R11.1",
    )
    legal_basis = fields.Text(help="R12.1, R13.1")
    remedies_notice = fields.Text("Remedies", help="R13.1")
    av_record_ids = fields.Many2many("hr.enforcement.av.record", string="AV Records")
    av_exemption_reason = fields.Text(
        "Why No AV Record", help="When AV recording was unsuitable (R10.1)."
    )
    file_ids = fields.One2many("hr.enforcement.evidence.file", "text_record_id", string="Files")
    corrects_id = fields.Many2one("hr.enforcement.text.record", readonly=True, copy=False)

    @api.depends("file_ids")
    def _compute_file_count(self):
        for record in self:
            record.file_count = len(record.file_ids)

    _sql_constraints = [
        (
            "document_number_unique",
            "UNIQUE(company_id, document_type_id, document_number)",
            "A document number (文号) is issued once per type and company (R12.1).",
        )
    ]

    def write(self, vals):
        if "document_number" in vals and any(
            r.document_number and r.document_number != vals["document_number"] for r in self
        ):
            raise ValidationError(
                _("A document number (文号) once drawn never changes (R12.1, R22.3).")
            )
        return super().write(vals)

    def _draw_document_number(self, day):
        """Draw this record's 文号 from its type's numbering (R12.1), once."""
        self.ensure_one()
        kind = self.document_type_id
        if self.document_number or kind.is_transcript or not kind.number_pattern:
            return self.document_number
        number = kind._next_document_number(self.company_id, day)
        self._app().write({"document_number": number})
        return number

    @api.constrains("certificate_ids", "date", "document_type_id")
    def _check_officers(self):
        """R8.1: two certified officers on investigation records; every certificate valid."""
        for record in self:
            day = fields.Date.context_today(record, record.date)
            if record.case_id and day < record.case_id.date_received:
                raise ValidationError(
                    _(
                        "%(record)s is dated before case %(case)s was received (R4.1).",
                        record=record.name,
                        case=record.case_id.name,
                    )
                )
            for cert in record.certificate_ids:
                cert._check_valid_on(day)
            record.certificate_ids._check_field_for(record.case_id)
            if (
                record.document_type_id.needs_officers
                and len(record.certificate_ids.employee_id) < MIN_OFFICERS
            ):
                raise ValidationError(
                    _(
                        "%(record)s needs at least %(min)s certified officers (R8.1).",
                        record=record.name,
                        min=MIN_OFFICERS,
                    )
                )

    @api.constrains("av_record_ids", "av_exemption_reason", "document_type_id")
    def _check_av(self):
        """R10.1: inspection, sampling and hearing records come with AV or a written reason."""
        for record in self:
            if record.document_type_id.needs_av and not (
                record.av_record_ids or record.av_exemption_reason
            ):
                raise ValidationError(
                    _(
                        "%(record)s needs a linked AV record or the written reason why none "
                        "was made (R10.1).",
                        record=record.name,
                    )
                )

    def action_seal(self):
        """Seal; a decision document then goes to its review: the case's decision approval
        request opens, unless one is already under way or granted (R13.5, R21.1)."""
        super().action_seal()
        case = self.case_id
        if (
            len(self) == 1
            and self.document_type_id.is_decision
            and case.stage == "decision"
            and not case.approval_ids.filtered(
                lambda a: a.kind == "decision" and a.state not in ("rejected", "cancelled")
            )
        ):
            return case.with_context(approval_kind="decision").action_request_approval()
        return True

    @api.constrains("document_number", "document_type_id")
    def _check_transcript_unnumbered(self):
        """A 笔录 records what was said and seen; it is not a document issued under a 文号."""
        for record in self:
            if record.document_number and record.document_type_id.is_transcript:
                raise ValidationError(
                    _(
                        "%(record)s is a transcript (笔录): it carries no document number (文号).",
                        record=record.name,
                    )
                )

    def _check_before_seal(self):
        for record in self:
            kind = record.document_type_id
            missing = []
            if kind.needs_party_signature and not (record.party_signed or record.refusal_note):
                missing.append(_("the party's signature or the recorded refusal (R9.2, R9.3)"))
            if kind.is_preservation and not (
                record.preservation_reason
                and record.preservation_object
                and record.preservation_form
            ):
                missing.append(_("the reason, object and form of preservation (R11.1)"))
            if kind.is_decision and not (record.legal_basis and record.remedies_notice):
                missing.append(_("the legal basis and the remedies (R13.1)"))
            if not record.file_ids and record._expects_files():
                missing.append(_("the signed document file"))
            if missing:
                raise ValidationError(
                    _(
                        "%(record)s cannot be sealed without %(missing)s.",
                        record=record.name,
                        missing="; ".join(missing),
                    )
                )
