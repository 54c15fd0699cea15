from odoo import fields, models

from .hr_enforcement_case_file import RETENTION


class HrEnforcementDocumentType(models.Model):
    _inherit = "hr.enforcement.document.type"

    retention = fields.Selection(
        RETENTION, default="10y", help="Retention period of records of this type (R18.3)."
    )
