from odoo import api, models

from .hr_enforcement_case import check_not_archived


class HrEnforcementService(models.Model):
    _inherit = "hr.enforcement.service"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        check_not_archived(records)
        return records

    def write(self, vals):
        check_not_archived(self, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_archived(self):
        check_not_archived(self)
