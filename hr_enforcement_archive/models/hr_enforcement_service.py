from odoo import models


class HrEnforcementService(models.Model):
    _name = "hr.enforcement.service"
    _inherit = ["hr.enforcement.service", "hr.enforcement.archive.lock"]
