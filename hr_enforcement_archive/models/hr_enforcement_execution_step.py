from odoo import models


class HrEnforcementExecutionStep(models.Model):
    _name = "hr.enforcement.execution.step"
    _inherit = ["hr.enforcement.execution.step", "hr.enforcement.archive.lock"]
