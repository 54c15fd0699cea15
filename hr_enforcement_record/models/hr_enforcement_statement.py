from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrEnforcementStatement(models.Model):
    """A statement or defence of the party after the advance notice, and its re-examination
    (复核): the facts, reasons and evidence raised are recorded and re-examined, and adopted
    where they hold (R16.1; 行政处罚法 第四十五条; 劳动保障监察条例 第十九条)."""

    _name = "hr.enforcement.statement"
    _description = "Statement or Defence"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("notice_id",)
    _guard_immutable_fields = frozenset({"notice_id"})
    _guard_event_on_create = "statement"
    _guard_rule_ref = "R16.1"
    _order = "date, id"

    notice_id = fields.Many2one(
        "hr.enforcement.penalty.notice", required=True, ondelete="restrict", index=True
    )
    case_id = fields.Many2one(related="notice_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    form = fields.Selection(
        [("written", "Written"), ("oral", "Oral, recorded in a transcript")],
        required=True,
        default="written",
    )
    content = fields.Text(
        "Facts, Reasons and Evidence Raised", required=True, help="As the party gave them."
    )
    text_record_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Statement or Transcript",
        domain="[('case_id', '=', case_id)]",
        help="The party's written statement, or the transcript of an oral one (R9.1).",
    )
    reexamination = fields.Text("Re-examination", tracking=True)
    adopted = fields.Selection(
        [("adopted", "Adopted"), ("partly", "Partly adopted"), ("rejected", "Not adopted")],
        "Outcome",
        tracking=True,
        help="Facts, reasons or evidence that hold are adopted (行政处罚法 art. 45).",
    )

    def _guard_event_texts(self):
        return _("Statement of %(date)s", date=self.date), (self.content or "")[:200]

    @api.constrains("date", "notice_id")
    def _check_date(self):
        for statement in self:
            served = statement.notice_id.date_served
            if not served:
                raise ValidationError(
                    _("A statement answers a served notice: serve the notice first (R16.1).")
                )
            if statement.date < served:
                raise ValidationError(
                    _("A statement cannot be dated before the notice it answers.")
                )

    @api.constrains("adopted", "reexamination")
    def _check_reexamination(self):
        for statement in self.filtered("adopted"):
            if not statement.reexamination:
                raise ValidationError(
                    _("Write the re-examination before its outcome (行政处罚法 art. 45).")
                )
