from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# what a case opened by an application decides, per type of case
APPLICATION_DECISIONS = {
    "licensing": ("licence_grant", "licence_refusal"),
    "confirmation": ("confirmation",),
}


# the case is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementCase(models.Model):
    """A case opened by accepting an application (R6.1): filed on the day of acceptance (no
    separate approval to open it), decided within the application's period — 20 working days
    for a licence (行政许可法 第四十二条), 60 days for a work-injury determination, which
    stops while a conclusion it depends on is awaited (工伤保险条例 第二十条, 中止) — and, for
    a licence granted, the licence issued within 10 working days (行政许可法 第四十四条)."""

    _inherit = "hr.enforcement.case"  # pylint: disable=consider-merging-classes-inherited

    application_id = fields.Many2one(
        "hr.enforcement.application", readonly=True, copy=False, index="btree_not_null"
    )
    suspension_ids = fields.One2many("hr.enforcement.suspension", "case_id", "Suspensions")
    suspended = fields.Boolean(compute="_compute_suspended", store=True)
    licence_number = fields.Char("Licence No.", tracking=True, copy=False)
    licence_issued_on = fields.Date(tracking=True, copy=False)
    licence_issue_deadline = fields.Date(
        compute="_compute_licence_issue_deadline",
        store=True,
        help="10 working days from the decision to grant (行政许可法 art. 44, 82).",
    )

    @api.depends("suspension_ids.date_to", "suspension_ids.date_from")
    def _compute_suspended(self):
        for case in self:
            case.suspended = any(not s.date_to for s in case.suspension_ids)

    @api.depends("decision_kind", "date_decided")
    def _compute_licence_issue_deadline(self):
        calendar = self.env["hr.enforcement.holiday"]
        for case in self:
            case.licence_issue_deadline = (
                calendar._period_end("licence_issue", case.date_decided)
                if case.decision_kind == "licence_grant"
                else False
            )

    def _get_decision_deadline(self):
        if self.application_id:
            return self.application_id.decision_deadline
        return super()._get_decision_deadline()

    def _get_next_deadline(self):
        if self.suspended:
            return False  # the period does not run (工伤保险条例 第二十条)
        if self.stage == "service" and self.licence_issue_deadline and not self.licence_issued_on:
            return self.licence_issue_deadline
        return super()._get_next_deadline()

    @api.constrains("licence_issued_on", "date_decided")
    def _check_licence_issued_on(self):
        for case in self.filtered("licence_issued_on"):
            if not case.date_decided or case.licence_issued_on < case.date_decided:
                raise ValidationError(
                    _("A licence is issued after the decision to grant it (行政许可法 art. 44).")
                )

    # ------------------------------------------------------------------ gates
    def _get_decision_gate_blockers(self):
        blockers = super()._get_decision_gate_blockers()
        allowed = APPLICATION_DECISIONS.get(self.enforcement_type)
        if allowed and self.decision_kind not in allowed:
            labels = dict(self._fields["decision_kind"]._description_selection(self.env))
            blockers.append(
                _(
                    "A case of this type decides: %(kinds)s (R6.1).",
                    kinds=", ".join(labels[k] for k in allowed),
                )
            )
        if self.suspended:
            blockers.append(
                _("The case is suspended: resume it before deciding (工伤保险条例 art. 20).")
            )
        return blockers

    def _get_stage_blockers(self, new_stage):
        blockers = super()._get_stage_blockers(new_stage)
        if (
            new_stage == "archiving"
            and self.decision_kind == "licence_grant"
            and not (self.licence_issued_on and self.licence_number)
        ):
            blockers.append(
                _(
                    "Record the licence issued to the applicant, its number and the day "
                    "(行政许可法 art. 39, 44)."
                )
            )
        return blockers

    def _check_approval_request(self, request):
        if request.kind == "case_opening" and self.application_id:
            raise UserError(
                _("Accepting the application filed this case: it needs no opening approval (R6.1).")
            )
        return super()._check_approval_request(request)

    def _requires_opening_approval(self):
        return not self.application_id and super()._requires_opening_approval()

    # ------------------------------------------------------------------ suspension
    def action_suspend(self):
        """Suspend the determination while a conclusion it depends on is awaited."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Suspend Determination"),
            "res_model": "hr.enforcement.suspension",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_resume(self):
        self.suspension_ids.filtered(lambda s: not s.date_to).action_resume()
        return True
