from odoo import fields, models


class HrEnforcementReceiptScan(models.Model):
    """Every scan of a service-receipt code, accepted or refused: who, when, which code and
    what came of it — the accountability report reads forged, stale and replayed scans here
    (R22.2, R22.3). Written by the application only; managers and supervisors read it."""

    _name = "hr.enforcement.receipt.scan"
    _description = "Receipt Scan"
    _order = "id desc"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _guard_case_field = "service_id.case_id"

    user_id = fields.Many2one("res.users", "Scanned By", required=True, readonly=True)
    scanned_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    code = fields.Char(readonly=True, help="The first 64 characters of what the scanner sent.")
    service_id = fields.Many2one("hr.enforcement.service", readonly=True, index=True)
    result = fields.Selection(
        [
            ("valid", "Valid"),
            ("malformed", "Not a receipt code"),
            ("forged", "Forged or from another database"),
            ("revoked", "Revoked by a reprint"),
            ("stale", "Document changed since printing"),
            ("replayed", "Return already registered"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
