from odoo import api, fields, models

from .hr_enforcement_case import CONFIDENTIALITY, check_not_archived


class HrEnforcementTextRecord(models.Model):
    _inherit = "hr.enforcement.text.record"
    _sealed_writable = frozenset({"confidentiality"})

    confidentiality = fields.Selection(
        CONFIDENTIALITY,
        compute="_compute_confidentiality",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="R20.1: follows the case unless set on the record.",
    )

    @api.depends("case_id.confidentiality")
    def _compute_confidentiality(self):
        for record in self:
            record.confidentiality = record.case_id.confidentiality or "internal"

    def write(self, vals):
        check_not_archived(self, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_archived(self):
        check_not_archived(self)
