from odoo import api, fields, models


class HrEnforcementInvestigationOfficer(models.Model):
    """An officer present at an investigation step, with the certificate used (R8.1)."""

    _name = "hr.enforcement.investigation.officer"
    _description = "Officer at an Investigation Step"

    investigation_id = fields.Many2one(
        "hr.enforcement.investigation", required=True, ondelete="cascade", index=True
    )
    employee_id = fields.Many2one("hr.employee", "Officer", required=True)
    certificate_id = fields.Many2one(
        "hr.enforcement.certificate",
        required=True,
        domain="[('employee_id', '=', employee_id), ('revoked', '=', False)]",
    )
    certificate_number = fields.Char(related="certificate_id.number")
    certificate_shown = fields.Boolean(default=True)

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        self.certificate_id = self.employee_id.enforcement_certificate_id

    def write(self, vals):
        self.investigation_id._check_case_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_while_investigating(self):
        self.investigation_id._check_case_open()
