from odoo import fields, models

from .hr_enforcement_guard import Freeze


class HrEnforcementApplicationMaterial(models.Model):
    """A material of an application's checklist, ticked when received at the counter.

    The checklist is the matter's, drawn by the application when the application is
    registered: officers tick what was received, they neither add, remove nor make a
    material optional (R6.1; 行政许可法 第三十条、第三十二条: the materials are those the
    matter publicly requires)."""

    _name = "hr.enforcement.application.material"
    _description = "Application Material"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_parent_fields = ("application_id",)
    _guard_rule_ref = "R6.1"
    _guard_app_creates = True
    _order = "sequence, id"

    application_id = fields.Many2one(
        "hr.enforcement.application", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="application_id.company_id", store=True)
    matter_material_id = fields.Many2one(
        "hr.enforcement.matter.material", "Required Material", readonly=True, ondelete="set null"
    )
    sequence = fields.Integer(default=10, readonly=True)
    name = fields.Char(required=True, readonly=True)
    mandatory = fields.Boolean(default=True, readonly=True)
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
