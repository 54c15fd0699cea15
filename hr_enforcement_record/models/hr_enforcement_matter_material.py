from odoo import fields, models


class HrEnforcementMatterMaterial(models.Model):
    """One material of a matter's checklist."""

    _name = "hr.enforcement.matter.material"
    _description = "Required Application Material"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "sequence, id"

    matter_id = fields.Many2one(
        "hr.enforcement.matter", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    mandatory = fields.Boolean(default=True)
