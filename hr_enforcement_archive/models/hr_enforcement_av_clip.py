from odoo import fields, models


class HrEnforcementAvClip(models.Model):
    """A station clip made an AV record carries that record's level: its need-to-know
    rule reads it with its case's (R20.1)."""

    _inherit = "hr.enforcement.av.clip"

    confidentiality = fields.Selection(related="av_record_id.confidentiality", store=True)
