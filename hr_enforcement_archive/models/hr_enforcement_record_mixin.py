from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .hr_enforcement_case import CONFIDENTIALITY, CONFIDENTIALITY_RANK


class HrEnforcementRecordMixin(models.AbstractModel):
    """Text and AV records: a confidentiality level (R20.1) that follows the case unless
    raised on the record; by hand it only rises."""

    _inherit = "hr.enforcement.record.mixin"
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
        level = vals.get("confidentiality")
        if level and not self._guard_is_app():
            lowered = self.filtered(
                lambda r: CONFIDENTIALITY_RANK[level] < CONFIDENTIALITY_RANK[r.confidentiality]
            )
            if lowered:
                raise UserError(
                    _(
                        "The confidentiality of %(record)s only rises; lower the case's level "
                        "through an approved request (R20.1).",
                        record=lowered[0].display_name,
                    )
                )
        result = super().write(vals)
        if "confidentiality" in vals:
            self.env["hr.enforcement.event"]._sync_confidentiality(self)
        return result
