from datetime import timedelta

from odoo import api, fields, models

from ..models.hr_enforcement_violation import RECTIFY_DAYS


class HrEnforcementViolationOrder(models.TransientModel):
    """The rectification order (责令限期整改) a supervisor or manager gives: its own
    permitted action, while the violation itself stays read-only to them (R22.5)."""

    _name = "hr.enforcement.violation.order"
    _description = "Order a Rectification"

    violation_ids = fields.Many2many("hr.enforcement.violation", required=True, readonly=True)
    rectification_order = fields.Text("Rectification Order (责令限期整改)", required=True)
    rectification_due = fields.Date(
        "Rectify By",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=RECTIFY_DAYS),
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        violations = self.env["hr.enforcement.violation"].browse(
            self.env.context.get("active_ids", [])
        )
        if "violation_ids" in fields_list:
            values["violation_ids"] = [(6, 0, violations.ids)]
        if "rectification_order" in fields_list and len(violations) == 1:
            values["rectification_order"] = violations._default_order_text()
        return values

    def action_confirm(self):
        self.ensure_one()
        self.violation_ids._order_rectification(self.rectification_order, self.rectification_due)
        return {"type": "ir.actions.act_window_close"}
