from odoo import fields, models

from .hr_enforcement_guard import Freeze


class HrEnforcementApplicationMaterial(models.Model):
    """A material of an application's checklist, ticked when received at the counter."""

    _name = "hr.enforcement.application.material"
    _description = "Application Material"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_parent_fields = ("application_id",)
    _order = "sequence, id"

    application_id = fields.Many2one(
        "hr.enforcement.application", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="application_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    mandatory = fields.Boolean(default=True)
    received = fields.Boolean("Material Received")
    pages = fields.Integer()
    note = fields.Char()

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.application_id.state in ("accepted", "rejected"):
            freezes.append(
                Freeze(self.env._("its application is decided and recorded as it stands (R6.1)"))
            )
        return freezes
