from odoo import api, models

HEAD_CRON = "hr_enforcement_record.ir_cron_event_head"


class HrEnforcementEventHead(models.Model):
    """The daily chain head job leaves its heartbeat, for the watchdog: a head the
    time-stamping authority has not stamped yet is a backlog, and the job does not count
    as completed until it is stamped."""

    _inherit = "hr.enforcement.event.head"

    @api.model
    def _cron_record_head(self):
        result = super()._cron_record_head()
        url, _trusted = self._tsa_config()
        unstamped = self.search_count([("tsa_state", "=", "unstamped")]) if url else 0
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            HEAD_CRON, done=1, completed=not unstamped, backlog=unstamped
        )
        return result
