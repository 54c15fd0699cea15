from odoo import fields, models

# the periods of the table of periods that each kind of matter runs on
MATTER_PERIODS = {
    "licensing": ("licence_supplement", "licence_decision"),
    "injury": ("injury_acceptance", "injury_decision"),
}


class HrEnforcementMatter(models.Model):
    """A matter that citizens and organisations apply for (依申请事项, R6.1), with the
    materials an application must bring and the kind of case its acceptance opens: an
    administrative licence (行政许可法) or a confirmation such as 工伤认定 (工伤保险条例), each
    on its own periods. Shipped as data; managers keep the list."""

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
    enforcement_type = fields.Selection(
        [
            ("licensing", "Administrative Licensing"),
            ("confirmation", "Administrative Confirmation"),
        ],
        "Type of Case",
        required=True,
        default="licensing",
    )
    period_set = fields.Selection(
        [("licensing", "行政许可法 art. 32, 42"), ("injury", "工伤保险条例 art. 20")],
        "Periods",
        required=True,
        default="licensing",
    )

    def _acceptance_period(self):
        return MATTER_PERIODS[self.period_set or "licensing"][0]

    def _decision_period(self):
        return MATTER_PERIODS[self.period_set or "licensing"][1]
