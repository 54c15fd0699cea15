from odoo import api, models

HEAD_CRON = "hr_enforcement_record.ir_cron_event_head"


class HrEnforcementEventHead(models.Model):
    """The daily chain head job leaves its heartbeat, for the watchdog."""

    _inherit = "hr.enforcement.event.head"

    @api.model
    def _cron_record_head(self):
        result = super()._cron_record_head()
        self.env["hr.enforcement.cron.heartbeat"]._beat(HEAD_CRON, done=1, completed=True)
        return result
