from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_enforcement_case_procedure import HEARING_KINDS, PENALTY_KINDS
from .hr_enforcement_guard import Freeze

# what the notice tells the party; fixed once it is served (R16.1)
NOTICE_CONTENT = frozenset(
    {
        "case_id",
        "penalty_kind",
        "fine_amount",
        "proposed_decision",
        "facts",
        "reasons",
        "legal_basis",
        "statement_days",
        "date_served",
    }
)


class HrEnforcementPenaltyNotice(models.Model):
    """The advance notice (事先告知) of a proposed penalty or handling decision: the
    proposed decision, its facts, reasons and basis, and the party's rights with their
    periods — statement and defence, and a hearing where 行政处罚法 第六十三条 gives one
    (R12.1, R16.1; 行政处罚法 第44、63、64条; 劳动保障监察条例 第19条).

    Officers on the case write it at review & decision; once served, what it told the party
    never changes. Statements and defences hang off it; a written waiver ends the periods.
    """

    _name = "hr.enforcement.penalty.notice"
    _description = "Advance Notice of a Proposed Decision"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_open_stages = ("decision",)
    _guard_event_on_create = "notice"
    _guard_rule_ref = "R16.1"
    _order = "id desc"
    _period_deadline_fields = ("statement_deadline", "hearing_deadline")

    case_id = fields.Many2one("hr.enforcement.case", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    decision_kind = fields.Selection(related="case_id.decision_kind")
    partner_id = fields.Many2one(related="case_id.partner_id", string="Party")
    penalty_kind = fields.Selection(PENALTY_KINDS, "Proposed Penalty", tracking=True)
    fine_amount = fields.Monetary("Proposed Fine", currency_field="currency_id", tracking=True)
    proposed_decision = fields.Text(
        required=True, tracking=True, help="The penalty or handling decision proposed."
    )
    facts = fields.Text(required=True, help="The facts found (行政处罚法 art. 44).")
    reasons = fields.Text(required=True)
    legal_basis = fields.Text(required=True)
    statement_days = fields.Integer(
        "Statement Period (working days)",
        default=lambda self: self._default_statement_days(),
        help="Working days from service for the party's statement and defence, as the "
        "bureau sets it per type of case.",
    )
    hearing_right = fields.Boolean(
        compute="_compute_hearing_right",
        store=True,
        help="The proposed penalty is one for which 行政处罚法 art. 63 gives a hearing.",
    )
    text_record_id = fields.Many2one(
        "hr.enforcement.text.record", "Notice Document", readonly=True, copy=False
    )
    date_served = fields.Date("Served On", tracking=True, copy=False)
    statement_deadline = fields.Date(compute="_compute_deadlines", store=True)
    hearing_deadline = fields.Date(
        "Hearing Request Deadline", compute="_compute_deadlines", store=True
    )
    rights_deadline = fields.Date(
        compute="_compute_deadlines", store=True, help="The last of the two periods."
    )
    waived = fields.Boolean("Rights Waived in Writing", readonly=True, copy=False, tracking=True)
    waiver_record_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Written Waiver",
        domain="[('case_id', '=', case_id), ('document_type_id.code', '=', 'rights_waiver')]",
        copy=False,
        tracking=True,
    )
    statement_ids = fields.One2many(
        "hr.enforcement.statement", "notice_id", string="Statements and Defences"
    )
    hearing_ids = fields.One2many("hr.enforcement.hearing", "notice_id", string="Hearings")

    @api.model
    def _default_statement_days(self):
        case = self.env["hr.enforcement.case"].browse(self.env.context.get("default_case_id"))
        return self.env["hr.enforcement.procedure.setting"]._statement_days(case)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        case = self.env["hr.enforcement.case"].browse(values.get("case_id")).exists()
        if case:
            values.setdefault("facts", case.facts)
            values.setdefault("legal_basis", case.legal_basis)
            values.setdefault("penalty_kind", case.penalty_kind)
            values.setdefault("fine_amount", case.fine_amount)
            values.setdefault("proposed_decision", case.decision_summary)
        return values

    @api.model_create_multi
    def create(self, vals_list):
        # what the notice states starts from the case, as the form proposes it
        for vals in vals_list:
            case = self.env["hr.enforcement.case"].browse(vals.get("case_id")).exists()
            for name, source in (
                ("facts", "facts"),
                ("legal_basis", "legal_basis"),
                ("proposed_decision", "decision_summary"),
                ("penalty_kind", "penalty_kind"),
                ("fine_amount", "fine_amount"),
            ):
                if case and name not in vals:
                    vals[name] = case[source]
        return super().create(vals_list)

    @api.depends("case_id")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = _(
                "Advance notice of %(case)s", case=notice.case_id.name or ""
            ) + (f" ({notice.text_record_id.document_number})" if notice.text_record_id else "")

    @api.depends("penalty_kind", "fine_amount", "case_id.partner_id.is_company", "decision_kind")
    def _compute_hearing_right(self):
        Setting = self.env["hr.enforcement.procedure.setting"]
        for notice in self:
            if notice.decision_kind != "penalty":
                notice.hearing_right = False
                continue
            threshold = Setting._hearing_fine_threshold(notice.case_id)
            notice.hearing_right = notice.penalty_kind in HEARING_KINDS or (
                notice.penalty_kind in ("fine", "confiscation")
                and threshold > 0
                and (notice.fine_amount or 0) >= threshold
            )

    @api.depends("date_served", "statement_days", "hearing_right")
    def _compute_deadlines(self):
        calendar = self.env["hr.enforcement.holiday"]
        for notice in self:
            notice.statement_deadline = calendar._period_end(
                "statement", notice.date_served, amount=notice.statement_days
            )
            notice.hearing_deadline = (
                calendar._period_end("hearing_request", notice.date_served)
                if notice.hearing_right
                else False
            )
            dates = [d for d in (notice.statement_deadline, notice.hearing_deadline) if d]
            notice.rights_deadline = max(dates) if dates else False

    @api.constrains("penalty_kind", "fine_amount", "decision_kind")
    def _check_penalty(self):
        for notice in self:
            if notice.decision_kind == "penalty" and not notice.penalty_kind:
                raise ValidationError(
                    _("The advance notice names the proposed penalty (行政处罚法 art. 44).")
                )
            if notice.penalty_kind == "fine" and (notice.fine_amount or 0) <= 0:
                raise ValidationError(_("A proposed fine states its amount."))
            if notice.statement_days <= 0:
                raise ValidationError(_("The statement period is at least one working day."))

    @api.constrains("date_served", "case_id", "text_record_id")
    def _check_date_served(self):
        today = fields.Date.context_today(self)
        for notice in self.filtered("date_served"):
            if notice.date_served > today:
                raise ValidationError(_("A notice cannot be served in the future."))
            issued = notice.text_record_id.date
            if issued and notice.date_served < fields.Date.context_today(notice, issued):
                raise ValidationError(_("A notice is served after it is issued."))
            if notice.date_served < notice.case_id.date_received:
                raise ValidationError(
                    _("No step of a case is dated before the case was received (R4.1).")
                )

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.date_served:
            freezes.append(
                Freeze(
                    self.env._(
                        "the notice was served; what it told the party does not change (R16.1)"
                    ),
                    only=NOTICE_CONTENT,
                    inherit=False,
                )
            )
        return freezes

    def _guard_event_texts(self):
        return self.display_name, self.proposed_decision or ""

    def write(self, vals):
        if vals.get("date_served") and not self._guard_is_app():
            for notice in self:
                if not notice.text_record_id:
                    raise UserError(
                        _("Issue the notice document from this notice before it is served.")
                    )
        result = super().write(vals)
        if vals.get("date_served"):
            # R21.1: the service of the notice starts the party's periods: a step of the log
            for notice in self:
                self.env["hr.enforcement.event"]._log(
                    notice.case_id,
                    "notice",
                    notice,
                    _(
                        "%(notice)s served on %(date)s",
                        notice=notice.display_name,
                        date=notice.date_served,
                    ),
                )
        return result

    def _rights_text(self):
        """The party's rights as the notice states them (行政处罚法 第44、63、64条)."""
        self.ensure_one()
        text = _(
            "You may state your case and defend yourself within %(days)s working days of "
            "receiving this notice; failing that, you are deemed to have waived the right.",
            days=self.statement_days,
        )
        if self.hearing_right:
            text += " " + _(
                "You may request a hearing within 5 working days of receiving this notice; "
                "the hearing costs you nothing."
            )
        return text

    # ------------------------------------------------------------------ actions
    def action_issue_document(self):
        """Issue the numbered notice document, filled from this notice (R12.1)."""
        self.ensure_one()
        code = "penalty_notice" if self.decision_kind == "penalty" else "treatment_notice"
        kind = self.env.ref(f"hr_enforcement_record.document_type_{code}")
        wizard = self.env["hr.enforcement.document.issue"].create(
            {"case_id": self.case_id.id, "document_type_id": kind.id, "name": kind.name}
        )
        return wizard.with_context(notice_id=self.id).action_issue()

    def action_record_waiver(self):
        """The party waived its rights in writing (行政处罚法 art. 62): the periods end."""
        for notice in self:
            notice.case_id.check_access("write")
            record = notice.waiver_record_id
            if not notice.date_served:
                raise UserError(_("Serve the notice before recording a waiver."))
            if not (record and record.file_ids and (record.party_signed or record.sealed)):
                raise UserError(
                    _(
                        "Attach the party's signed written waiver as a text record first "
                        "(行政处罚法 art. 62)."
                    )
                )
            notice._app().write({"waived": True})
            self.env["hr.enforcement.event"]._log(
                notice.case_id, "notice", notice, _("Rights waived in writing: %s", record.name)
            )
