from odoo import fields, models


class HrEnforcementMatter(models.Model):
    """A matter that citizens and organisations apply for (依申请事项, R6.1), with the
    materials an application must bring. Shipped as data; managers keep the list."""

    _name = "hr.enforcement.matter"
    _description = "Application Matter"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    legal_basis = fields.Text(translate=True)
    material_ids = fields.One2many(
        "hr.enforcement.matter.material", "matter_id", string="Materials", copy=True
    )
    active = fields.Boolean(default=True)
