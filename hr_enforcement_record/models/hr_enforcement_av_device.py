from odoo import fields, models


class HrEnforcementAvDevice(models.Model):
    """The register of audio-visual recording equipment (R4.2): body cameras (执法记录仪),
    cameras, recorders and surveillance. Managers keep it; officers read it."""

    _name = "hr.enforcement.av.device"
    _description = "AV Recording Device"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_case_field = None
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    device_type = fields.Selection(
        [
            ("bodycam", "Body camera"),
            ("camera", "Camera"),
            ("recorder", "Audio recorder"),
            ("surveillance", "Surveillance camera"),
        ],
        required=True,
        tracking=True,
    )
    serial_number = fields.Char(required=True, tracking=True)
    holder_id = fields.Many2one(
        "hr.employee", tracking=True, help="Officer the device is issued to."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("serial_uniq", "unique(serial_number, company_id)", "A serial number is registered once.")
    ]
