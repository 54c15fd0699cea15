from odoo import api, models


class HrEnforcementInvestigationOfficer(models.Model):
    """R20.1: nobody joins a confidential case through an investigation step without
    clearance."""

    _inherit = "hr.enforcement.investigation.officer"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._guard_is_app():
            Step, Employee = self.env["hr.enforcement.investigation"], self.env["hr.employee"]
            for vals in vals_list:
                case = Step.browse(vals.get("investigation_id")).sudo().case_id
                case._check_cleared(Employee.browse(vals.get("employee_id")).sudo().user_id)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("employee_id") and not self._guard_is_app():
            user = self.env["hr.employee"].browse(vals["employee_id"]).sudo().user_id
            for line in self:
                line.sudo().investigation_id.case_id._check_cleared(user)
        return super().write(vals)
