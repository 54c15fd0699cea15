from odoo import _, api, fields, models
from odoo.exceptions import UserError

# 行政处罚法 (2021) 第九条: the kinds of penalty a 人社 bureau imposes, lightest first; the
# order is how 第四十五条 ("不得因当事人陈述、申辩而给予更重的处罚") compares two penalties.
PENALTY_KINDS = [
    ("warning", "Warning or circulated criticism"),
    ("fine", "Fine"),
    ("confiscation", "Confiscation of illegal gains or property"),
    ("licence", "Suspension or revocation of a licence, lowering of qualification"),
    ("suspension", "Order to stop production or business, to close, or restriction"),
]
PENALTY_SEVERITY = {key: rank for rank, (key, _label) in enumerate(PENALTY_KINDS)}
# 行政处罚法 第六十三条 (三)(四): kinds that always carry the right to a hearing
HEARING_KINDS = frozenset({"licence", "suspension"})
DECISION_KINDS = [
    ("penalty", "Administrative penalty"),
    ("treatment", "Administrative handling decision (order to pay)"),
    ("correction", "Order to correct within a time limit"),
    ("no_penalty", "No penalty"),
    ("other", "Other decision"),
    ("licence_grant", "Grant of the licence (行政许可法 art. 38)"),
    ("licence_refusal", "Refusal of the licence, with reasons and remedies"),
    ("confirmation", "Confirmation decision, e.g. work-injury determination"),
]
# decisions that are made only after the party was told and heard: 行政处罚法 第四十四条、
# 第六十二条 for penalties, 劳动保障监察条例 第十九条 for handling decisions
NOTICE_DECISION_KINDS = ("penalty", "treatment")


# the case is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementCase(models.Model):
    """The penalty procedure of a case (R12.1, R13.2, R13.4, R16.1): what is decided, the
    advance notice with the party's rights, the hearing, the legal-review and collective-
    discussion gates, and the amounts ordered and paid."""

    _inherit = "hr.enforcement.case"  # pylint: disable=consider-merging-classes-inherited

    decision_kind = fields.Selection(
        DECISION_KINDS,
        compute="_compute_decision_kind",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Labour inspection mostly ends in an administrative handling decision "
        "(劳动保障监察条例 art. 18, 26); a penalty follows the Administrative Penalty Law.",
    )
    penalty_kind = fields.Selection(PENALTY_KINDS, "Penalty", tracking=True)
    # amounts under Chinese statutes are in yuan, whatever the company keeps its books in
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    fine_amount = fields.Monetary("Fine", currency_field="currency_id", tracking=True)
    complex_case = fields.Boolean(
        "Complex or Serious",
        tracking=True,
        help="Complex facts or a serious violation: collective discussion by the bureau's "
        "leaders (行政处罚法 art. 57) and legal review (art. 58) may be required.",
    )
    notice_ids = fields.One2many("hr.enforcement.penalty.notice", "case_id", "Advance Notices")
    hearing_ids = fields.One2many("hr.enforcement.hearing", "case_id", "Hearings")
    preservation_ids = fields.One2many(
        "hr.enforcement.preservation", "case_id", "Evidence Preservations"
    )
    amount_ids = fields.One2many("hr.enforcement.amount", "case_id", "Amounts Ordered")
    hearing_count = fields.Integer(compute="_compute_hearing_count")
    hearing_held = fields.Boolean(compute="_compute_hearing_held", store=True)
    legal_review_required = fields.Boolean(compute="_compute_gates", store=True)
    collective_required = fields.Boolean(compute="_compute_gates", store=True)
    gate_reasons = fields.Text("Why Review Is Required", compute="_compute_gate_reasons")
    # the figures the managers' reporting sums (R22.1)
    wages_ordered = fields.Monetary(compute="_compute_money", store=True)
    wages_paid = fields.Monetary("Wages Recovered", compute="_compute_money", store=True)
    workers_covered = fields.Integer(compute="_compute_money", store=True)
    fines_imposed = fields.Monetary(compute="_compute_money", store=True)
    fines_paid = fields.Monetary(compute="_compute_money", store=True)

    def _compute_currency_id(self):
        self.currency_id = self.env.ref("base.CNY")

    @api.depends("enforcement_type")
    def _compute_decision_kind(self):
        for case in self:
            if not case.decision_kind:
                case.decision_kind = "penalty" if case.enforcement_type == "penalty" else "other"

    @api.depends("hearing_ids.state")
    def _compute_hearing_held(self):
        for case in self:
            case.hearing_held = any(h.state in ("held", "reported") for h in case.hearing_ids)

    @api.depends("hearing_ids")
    def _compute_hearing_count(self):
        for case in self:
            case.hearing_count = len(case.hearing_ids)

    def _gate_rules(self):
        return self.env["hr.enforcement.gate.rule"].sudo().search([])  # sudo: configuration

    @api.depends(
        "enforcement_type",
        "decision_kind",
        "penalty_kind",
        "fine_amount",
        "complex_case",
        "hearing_held",
    )
    def _compute_gates(self):
        rules = self._gate_rules()
        for case in self:
            fired = rules.filtered(lambda r, c=case: r._applies_to(c))
            case.legal_review_required = any(r.gate == "legal_review" for r in fired)
            case.collective_required = any(r.gate == "collective" for r in fired)

    @api.depends_context("lang")
    @api.depends("legal_review_required", "collective_required")
    def _compute_gate_reasons(self):
        # in the reader's language, never stored
        rules = self._gate_rules()
        for case in self:
            fired = rules.filtered(lambda r, c=case: r._applies_to(c))
            case.gate_reasons = "\n".join(fired.mapped("display_name")) or False

    @api.depends(
        "amount_ids.kind",
        "amount_ids.amount",
        "amount_ids.paid_amount",
        "amount_ids.workers_count",
    )
    def _compute_money(self):
        for case in self:
            wages = case.amount_ids.filtered(lambda a: a.kind != "fine")
            fines = case.amount_ids.filtered(lambda a: a.kind == "fine")
            case.wages_ordered = sum(wages.mapped("amount"))
            case.wages_paid = sum(wages.mapped("paid_amount"))
            case.workers_covered = max(wages.mapped("workers_count") or [0])
            case.fines_imposed = sum(fines.mapped("amount"))
            case.fines_paid = sum(fines.mapped("paid_amount"))

    # ------------------------------------------------------------------ gates
    def _get_current_notice(self):
        """The latest advance notice that was served, else the latest one."""
        self.ensure_one()
        notices = self.notice_ids.sorted(lambda n: (bool(n.date_served), n.id), reverse=True)
        return notices[:1]

    def _get_decision_gate_blockers(self):
        """What keeps the decision of this case from being proposed or approved: the
        party's rights (R16.1; 行政处罚法 第44、45、62–65条; 劳动保障监察条例 第19条) and the
        legal-review and collective-discussion gates (R13.2, R13.4; 行政处罚法 第57、58条)."""
        self.ensure_one()
        blockers = []
        if self.decision_kind == "penalty" and not self.penalty_kind:
            blockers.append(_("Choose the penalty that is decided (R12.1)."))
        if self.decision_kind in NOTICE_DECISION_KINDS:
            blockers += self._get_notice_blockers()
        for gate, required, label in (
            ("legal_review", self.legal_review_required, _("Legal review")),
            ("collective", self.collective_required, _("Collective discussion")),
        ):
            if not required:
                continue
            passed = self.deliberation_ids.filtered(
                lambda d, g=gate: d.kind == g and d.conclusion in ("agree", "modify")
            )
            if not passed:
                blockers.append(
                    _(
                        "%(gate)s is required for this decision and has not agreed to it "
                        "(%(reasons)s).",
                        gate=label,
                        reasons=(self.gate_reasons or "").replace("\n", "; "),
                    )
                )
        return blockers

    def _get_notice_blockers(self):
        notice = self._get_current_notice()
        if not notice or not notice.date_served:
            return [
                _(
                    "The party has not been served the advance notice of the proposed "
                    "decision with its rights (R16.1; 行政处罚法 art. 44, 62)."
                )
            ]
        blockers = []
        today = fields.Date.context_today(self)
        if not notice.waived and notice.rights_deadline and today <= notice.rights_deadline:
            blockers.append(
                _(
                    "The party's period to state, defend or request a hearing runs until "
                    "%(date)s; wait for it to end or record the party's written waiver "
                    "(行政处罚法 art. 62, 64).",
                    date=notice.rights_deadline,
                )
            )
        pending = notice.statement_ids.filtered(lambda s: not s.adopted)
        if pending:
            blockers.append(
                _(
                    "Re-examine the statements and defences of %(dates)s first (R16.1; "
                    "行政处罚法 art. 45).",
                    dates=", ".join(str(d) for d in pending.mapped("date")),
                )
            )
        for hearing in self.hearing_ids.filtered(lambda h: h.notice_id == notice):
            if hearing.state not in ("reported", "abandoned"):
                blockers.append(
                    _(
                        "The hearing requested on %(date)s has no hearing report yet "
                        "(行政处罚法 art. 65).",
                        date=hearing.request_date,
                    )
                )
        if (
            self.decision_kind == "penalty"
            and notice.statement_ids
            and self._is_heavier_than(notice)
        ):
            blockers.append(
                _(
                    "The party stated and defended: the penalty may not be heavier than the "
                    "one notified (行政处罚法 art. 45)."
                )
            )
        return blockers

    def _is_heavier_than(self, notice):
        self.ensure_one()
        mine, theirs = (
            PENALTY_SEVERITY.get(self.penalty_kind, -1),
            PENALTY_SEVERITY.get(notice.penalty_kind, -1),
        )
        return mine > theirs or (self.fine_amount or 0) > (notice.fine_amount or 0)

    def _check_decision_gates(self):
        for case in self:
            blockers = case._get_decision_gate_blockers()
            if blockers:
                raise UserError(
                    _(
                        "The decision of case %(case)s cannot be approved yet:\n%(blockers)s",
                        case=case.name,
                        blockers="\n".join(f"- {b}" for b in blockers),
                    )
                )

    def _check_approval_request(self, request):
        if request.kind == "decision" and self.stage == "decision":
            self._check_decision_gates()
        return super()._check_approval_request(request)

    def _check_approval_grant(self, request):
        # the gates hold at the approver's step too: a statement may arrive meanwhile
        if request.kind == "decision":
            self._check_decision_gates()
        return super()._check_approval_grant(request)

    def _get_stage_blockers(self, new_stage):
        blockers = super()._get_stage_blockers(new_stage)
        if new_stage == "decision":
            unshown = self.investigation_ids.filtered(lambda s: not s.certificates_shown)
            if unshown:
                blockers.append(
                    _(
                        "Officers did not show their certificates at %(steps)s: the party may "
                        "refuse such a step (R8.1; 行政处罚法 art. 55).",
                        steps=", ".join(unshown.mapped("name")),
                    )
                )
            pending = self.preservation_ids.filtered(lambda p: p.state != "handled")
            if pending:
                blockers.append(
                    _(
                        "Decide how the preserved evidence is handled first: %(items)s "
                        "(行政处罚法 art. 56; R11.1).",
                        items=", ".join(pending.mapped("display_name")),
                    )
                )
        return blockers

    # ------------------------------------------------------------------ actions
    def action_new_notice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Advance Notice"),
            "res_model": "hr.enforcement.penalty.notice",
            "view_mode": "form",
            "target": "current",
            "context": {"default_case_id": self.id},
        }

    def action_record_payment(self):
        """Record a payment of an amount the decision ordered (R15.1)."""
        self.ensure_one()
        open_lines = self.amount_ids.filtered(lambda a: a.state != "paid")
        context = {"default_amount_id": open_lines.id} if len(open_lines) == 1 else {}
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Payment"),
            "res_model": "hr.enforcement.payment",
            "view_mode": "form",
            "target": "new",
            "context": dict(context, payment_case_id=self.id),
        }
