from odoo import api, models

CALENDAR_CRON = "hr_enforcement_record.ir_cron_warn_uncovered_years"


class HrEnforcementHolidayYear(models.Model):
    _inherit = "hr.enforcement.holiday.year"

    @api.model
    def _cron_warn_uncovered_years(self):
        uncovered = super()._cron_warn_uncovered_years()
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            CALENDAR_CRON, done=len(uncovered), completed=True
        )
        return uncovered
