from odoo import api, fields, models

from .hr_enforcement_case import CONFIDENTIALITY


class HrEnforcementRecordMixin(models.AbstractModel):
    """Text and AV records: a confidentiality level (R20.1) that follows the case unless
    raised on the record, and the archive lock."""

    _name = "hr.enforcement.record.mixin"
    _inherit = ["hr.enforcement.record.mixin", "hr.enforcement.archive.lock"]
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
