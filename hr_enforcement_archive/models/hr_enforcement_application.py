from odoo import api, models

DEEM_CRON = "hr_enforcement_record.ir_cron_deem_accepted"


class HrEnforcementApplication(models.Model):
    _inherit = "hr.enforcement.application"

    @api.model
    def _cron_deem_accepted(self, batch=200):
        opened, remaining = super()._cron_deem_accepted(batch)
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            DEEM_CRON, done=opened, completed=not remaining, backlog=remaining
        )
        return opened, remaining
