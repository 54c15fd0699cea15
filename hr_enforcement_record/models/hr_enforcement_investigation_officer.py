from odoo import api, fields, models


class HrEnforcementInvestigationOfficer(models.Model):
    """An officer present at an investigation step, with the certificate used (R8.1)."""

    _name = "hr.enforcement.investigation.officer"
    _description = "Officer at an Investigation Step"
    _inherit = ["hr.enforcement.guard"]
    _guard_parent_fields = ("investigation_id",)
    _guard_immutable_fields = frozenset({"investigation_id"})
    _guard_case_field = "investigation_id.case_id"
    _rec_name = "employee_id"

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
    # never assumed: the officer ticks it when the certificate was shown (R8.1;
    # 行政处罚法 第五十五条, 劳动保障监察条例 第十六条)
    certificate_shown = fields.Boolean()

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        self.certificate_id = self.employee_id.enforcement_certificate_id
