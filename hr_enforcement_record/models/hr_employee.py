from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    enforcement_certificate_ids = fields.One2many(
        "hr.enforcement.certificate", "employee_id", string="Enforcement Certificates"
    )
    enforcement_certificate_id = fields.Many2one(
        "hr.enforcement.certificate",
        string="Valid Certificate",
        compute="_compute_enforcement_certificate_id",
        help="The certificate valid today, if any (R8.1).",
    )

    @api.depends("enforcement_certificate_ids.date_to", "enforcement_certificate_ids.revoked")
    @api.depends_context("date")
    def _compute_enforcement_certificate_id(self):
        today = fields.Date.context_today(self)
        for employee in self:
            valid = employee.enforcement_certificate_ids.filtered(
                lambda c: c._get_state_on(today) == "valid"
            )
            employee.enforcement_certificate_id = valid[:1]
