from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hr_enforcement_case import case_selection
from .hr_enforcement_case_procedure import DECISION_KINDS, PENALTY_KINDS, PENALTY_SEVERITY

GATE_FIELDS = ("legal_review_required", "collective_required")


class HrEnforcementGateRule(models.Model):
    """When a decision needs legal review (法制审核, R13.2; 行政处罚法 第五十八条) or collective
    discussion by the bureau's leaders (集体讨论, R13.4; 第五十七条第二款). Shipped with a default
    the managers adjust: a rule fires for a case of its type and decision when any condition
    it sets holds; a rule that sets none fires for every such decision."""

    _name = "hr.enforcement.gate.rule"
    _description = "Legal Review or Collective Discussion Rule"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "gate, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    gate = fields.Selection(
        [("legal_review", "Legal review"), ("collective", "Collective discussion")],
        required=True,
    )
    enforcement_type = fields.Selection(
        case_selection("enforcement_type"),
        help="Empty: every type of case.",
    )
    decision_kind = fields.Selection(DECISION_KINDS, help="Empty: every decision.")
    on_hearing = fields.Boolean("When a Hearing Was Held")
    on_complex = fields.Boolean("When Complex or Serious")
    fine_threshold = fields.Float("When the Fine Reaches", help="0: not a condition.")
    on_penalty_kind = fields.Selection(PENALTY_KINDS, "When the Penalty Is at Least")
    requirement_ref = fields.Char("Requirement", required=True)

    @api.constrains("fine_threshold")
    def _check_threshold(self):
        if any(rule.fine_threshold < 0 for rule in self):
            raise ValidationError(_("A fine threshold cannot be negative."))

    def _applies_to(self, case):
        """Whether this rule fires for `case` (ensure_one)."""
        self.ensure_one()
        if self.enforcement_type and self.enforcement_type != case.enforcement_type:
            return False
        if self.decision_kind and self.decision_kind != case.decision_kind:
            return False
        conditions = []
        if self.on_hearing:
            conditions.append(case.hearing_held)
        if self.on_complex:
            conditions.append(case.complex_case)
        if self.fine_threshold:
            conditions.append((case.fine_amount or 0) >= self.fine_threshold)
        if self.on_penalty_kind:
            conditions.append(
                PENALTY_SEVERITY.get(case.penalty_kind, -1)
                >= PENALTY_SEVERITY[self.on_penalty_kind]
            )
        return any(conditions) if conditions else True

    def _recompute_open_cases(self):
        """A changed rule applies to the decisions still to be made."""
        cases = (
            self.env["hr.enforcement.case"]
            .sudo()
            .search([("stage", "in", ("initiation", "investigation", "decision"))])
        )
        for name in GATE_FIELDS:
            self.env.add_to_compute(cases._fields[name], cases)

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._recompute_open_cases()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._recompute_open_cases()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["hr.enforcement.gate.rule"]._recompute_open_cases()
        return result
