from odoo import api, fields, models

# Who reads an employee's enforcement certificates: the enforcement roles (every one implies
# officer or supervisor) and HR staff. Odoo's hr demands groups on every field that a plain
# employee may not read (hr.employee's docstring; TestSelfAccessProfile).
CERTIFICATE_READERS = (
    "hr_enforcement_record.hr_enforcement_record_group_officer,"
    "hr_enforcement_record.hr_enforcement_record_group_supervisor,"
    "hr.group_hr_user"
)


def set_valid_certificates(employees):
    """Each employee's certificate valid today (the context's `date`), on hr.employee and on
    its public twin alike."""
    today = fields.Date.context_today(employees)
    for employee in employees:
        employee.enforcement_certificate_id = employee.enforcement_certificate_ids._get_valid_on(
            today
        )[:1]


class HrEmployee(models.Model):
    """Employees read without HR rights are served from hr.employee.public: each field added
    here has its public twin in hr_employee_public.py, or an officer picking a colleague for
    an investigation step gets an access error (R8.1)."""

    _inherit = "hr.employee"

    enforcement_certificate_ids = fields.One2many(
        "hr.enforcement.certificate",
        "employee_id",
        string="Enforcement Certificates",
        groups=CERTIFICATE_READERS,
    )
    enforcement_certificate_id = fields.Many2one(
        "hr.enforcement.certificate",
        string="Valid Certificate",
        compute="_compute_enforcement_certificate_id",
        groups=CERTIFICATE_READERS,
        help="The certificate valid today, if any (R8.1).",
    )

    @api.depends("enforcement_certificate_ids.date_to", "enforcement_certificate_ids.revoked")
    @api.depends_context("date")
    def _compute_enforcement_certificate_id(self):
        set_valid_certificates(self)
