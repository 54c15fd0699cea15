from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrEnforcementRequirementExcuse(models.Model):
    """A written reason why a required record does not exist for one case (R4.1, R22.1).
    Officers on the case write it; the approver sees it in the case's completeness list.
    Frozen once the case is decided."""

    _name = "hr.enforcement.requirement.excuse"
    _description = "Excused Requirement"
    _inherit = ["hr.enforcement.guard"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id", "requirement_id"})
    _guard_open_stages = ("initiation", "investigation", "decision")
    _guard_event_on_create = "excused"
    _guard_event_on_unlink = "excuse_withdrawn"

    case_id = fields.Many2one("hr.enforcement.case", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    requirement_id = fields.Many2one(
        "hr.enforcement.requirement", required=True, ondelete="restrict"
    )
    reason = fields.Text(required=True)
    excused_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)

    _sql_constraints = [
        (
            "case_requirement_uniq",
            "unique(case_id, requirement_id)",
            "A requirement is excused once per case.",
        )
    ]

    def _guard_event_texts(self):
        return self.requirement_id.name, self.reason

    @api.constrains("reason")
    def _check_reason(self):
        for excuse in self:
            if not (excuse.reason or "").strip():
                raise ValidationError(_("Write why the record is not needed (R22.1)."))
