from odoo import api, fields, models

from .hr_employee import CERTIFICATE_READERS, set_valid_certificates


class HrEmployeePublic(models.Model):
    """The public twins of the enforcement fields of hr.employee: what an officer without
    HR rights reads of a colleague (R8.1)."""

    _inherit = "hr.employee.public"

    enforcement_certificate_ids = fields.One2many(
        "hr.enforcement.certificate",
        "employee_id",
        string="Enforcement Certificates",
        readonly=True,
        groups=CERTIFICATE_READERS,
    )
    enforcement_certificate_id = fields.Many2one(
        "hr.enforcement.certificate",
        string="Valid Certificate",
        compute="_compute_enforcement_certificate_id",
        groups=CERTIFICATE_READERS,
    )

    @api.depends("enforcement_certificate_ids.date_to", "enforcement_certificate_ids.revoked")
    @api.depends_context("date")
    def _compute_enforcement_certificate_id(self):
        set_valid_certificates(self)
