from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MIN_OFFICERS = 2


class HrEnforcementInvestigation(models.Model):
    """An investigation step of a case (调查取证, R8.1, R9.1).

    It names at least two officers with certificates valid on the day of the step and
    whether each showed it. Officers on the case record steps while the case is under
    investigation; once the case is decided the steps are frozen (R22.3).
    """

    _name = "hr.enforcement.investigation"
    _description = "Investigation Step"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_open_stages = ("investigation",)
    _guard_event_on_create = "investigation"
    _order = "date desc, id desc"

    case_id = fields.Many2one("hr.enforcement.case", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    name = fields.Char("Subject", required=True, tracking=True)
    step_type = fields.Selection(
        [
            ("inquiry", "Inquiry"),
            ("inspection", "On-site inspection"),
            ("evidence", "Evidence collection"),
            ("sampling", "Sampling"),
            ("hearing", "Hearing"),
            ("other", "Other"),
        ],
        required=True,
        tracking=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    location = fields.Char(tracking=True)
    stage = fields.Selection(
        related="case_id.stage", string="Case Stage", help="The stage the case is in now."
    )
    officer_line_ids = fields.One2many(
        "hr.enforcement.investigation.officer", "investigation_id", string="Officers Present"
    )
    officer_count = fields.Integer(compute="_compute_officer_count", store=True)
    certificates_shown = fields.Boolean(
        "All Certificates Shown", compute="_compute_officer_count", store=True
    )
    persons_present = fields.Text(help="The party or other persons present and their role.")
    party_signed = fields.Boolean("Signed or Sealed by the Party", tracking=True)
    refusal_note = fields.Text(
        "Refusal Recorded", help="A refusal to be investigated, to give evidence or to sign (R9.3)."
    )
    notes = fields.Text()

    def _guard_event_texts(self):
        types = dict(self._fields["step_type"]._description_selection(self.env))
        return f"{types[self.step_type]}: {self.name}", self.location or ""

    @api.depends("officer_line_ids", "officer_line_ids.certificate_shown")
    def _compute_officer_count(self):
        for step in self:
            step.officer_count = len(step.officer_line_ids)
            step.certificates_shown = bool(step.officer_line_ids) and all(
                step.officer_line_ids.mapped("certificate_shown")
            )

    @api.constrains("officer_line_ids", "date")
    def _check_officers(self):
        """R8.1: at least two officers with valid certificates, each named once."""
        for step in self:
            lines = step.officer_line_ids
            if len(lines) < MIN_OFFICERS:
                raise ValidationError(
                    _(
                        "Investigation step %(step)s needs at least %(min)s certified officers; "
                        "it has %(count)s (R8.1).",
                        step=step.name,
                        min=MIN_OFFICERS,
                        count=len(lines),
                    )
                )
            if len(lines.employee_id) < len(lines):
                raise ValidationError(_("An officer is listed twice on %(step)s.", step=step.name))
            day = fields.Date.context_today(step, step.date)
            if day < step.case_id.date_received:
                raise ValidationError(
                    _(
                        "Step %(step)s is dated before case %(case)s was received (R4.1).",
                        step=step.name,
                        case=step.case_id.name,
                    )
                )
            for line in lines:
                line.certificate_id._check_valid_on(day, line.employee_id)
            lines.certificate_id._check_field_for(step.case_id)

    @api.constrains("party_signed", "refusal_note")
    def _check_signature_or_refusal(self):
        """R9.2, R9.3: the party signs, or the refusal is recorded."""
        for step in self:
            if step.step_type != "other" and not step.party_signed and not step.refusal_note:
                raise ValidationError(
                    _(
                        "Step %(step)s is neither signed by the party nor has a recorded "
                        "refusal (R9.2, R9.3).",
                        step=step.name,
                    )
                )
