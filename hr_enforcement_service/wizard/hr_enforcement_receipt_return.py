import base64

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.hr_enforcement_service import SIGNER_RELATIONS


class HrEnforcementReceiptReturn(models.TransientModel):
    """The form opened by a valid scan: what came back with the signed receipt. The code
    is checked again on confirmation, so the form cannot be used for another receipt or
    twice (R14.1-R14.6, R22.3)."""

    _name = "hr.enforcement.receipt.return"
    _description = "Register a Returned Receipt"

    code = fields.Char(required=True, readonly=True)
    service_id = fields.Many2one("hr.enforcement.service", required=True, readonly=True)
    method = fields.Selection(related="service_id.method")
    recipient_id = fields.Many2one(related="service_id.recipient_id")
    document_id = fields.Many2one(related="service_id.document_id")
    returned_on = fields.Date(required=True, default=fields.Date.context_today)
    signer_type = fields.Selection(
        SIGNER_RELATIONS, "Signed By", required=True, default="recipient"
    )
    signer_name = fields.Char("Signer", required=True)
    signed = fields.Selection(
        [("signed", "Signed"), ("refused", "Refused to sign")], required=True, default="signed"
    )
    tracking_number = fields.Char("EMS No. of the Return")
    scan = fields.Binary("Scan of the Signed Receipt", required=True, attachment=False)
    scan_name = fields.Char()

    def action_confirm(self):
        self.ensure_one()
        service, result = self.env["hr.enforcement.service"]._lookup_receipt(self.code)
        if result != "valid" or service != self.service_id:
            raise UserError(service._scan_messages().get(result, _("Scan the receipt again.")))
        service.action_register_return(
            {
                "returned_on": self.returned_on,
                "return_signer_type": self.signer_type,
                "return_signer_name": self.signer_name,
                "return_signed": self.signed,
                "return_tracking_number": self.tracking_number,
            },
            base64.b64decode(self.scan or b""),
            self.scan_name,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Return registered"),
                "message": _("The signed receipt of %s is registered.", service.name),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
