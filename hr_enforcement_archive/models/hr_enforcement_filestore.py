from odoo import api, models

EXPIRE_CRON = "hr_enforcement_record.ir_cron_expire_uploads"


class HrEnforcementFilestore(models.AbstractModel):
    """The expiry of abandoned uploads leaves its heartbeat, for the watchdog."""

    _inherit = "hr.enforcement.filestore"

    @api.model
    def _cron_expire_uploads(self):
        removed = super()._cron_expire_uploads()
        self.env["hr.enforcement.cron.heartbeat"]._beat(EXPIRE_CRON, done=removed, completed=True)
        return removed
