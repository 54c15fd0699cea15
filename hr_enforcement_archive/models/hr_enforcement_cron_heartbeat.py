from datetime import timedelta

from odoo import api, fields, models

STALE_AFTER = timedelta(hours=26)


class HrEnforcementCronHeartbeat(models.Model):
    """The last start and the last complete run of each deadline job. Odoo switches a job
    off after repeated failures without telling anyone; the watchdog and the managers'
    list read these beats to warn when a job is off or has not completed for 26 hours."""

    _name = "hr.enforcement.cron.heartbeat"
    _description = "Scheduled Job Heartbeat"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"

    name = fields.Char(required=True, readonly=True, translate=True)
    cron_xmlid = fields.Char(required=True, readonly=True, index=True)
    cron_id = fields.Many2one("ir.cron", compute="_compute_status")
    last_started = fields.Datetime(readonly=True)
    last_completed = fields.Datetime(readonly=True)
    last_done = fields.Integer("Processed in the Last Run", readonly=True)
    backlog = fields.Integer(readonly=True, help="What the last run left for the next one.")
    status = fields.Selection(
        [("ok", "Running"), ("late", "Not completed for 26 hours"), ("off", "Switched off")],
        compute="_compute_status",
    )

    _sql_constraints = [("xmlid_unique", "unique(cron_xmlid)", "One heartbeat per job.")]

    @api.depends("last_completed")
    def _compute_status(self):
        """Computed at read time, so the list is right even when the watchdog is off."""
        now = fields.Datetime.now()
        for beat in self:
            cron = self.env.ref(beat.cron_xmlid, raise_if_not_found=False)
            beat.cron_id = cron
            if not cron or not cron.sudo().active:
                beat.status = "off"
            elif now - (beat.last_completed or beat.create_date or now) > STALE_AFTER:
                # a job that never completed counts from when it was installed
                beat.status = "late"
            else:
                beat.status = "ok"

    @api.model
    def _beat(self, cron_xmlid, done=0, completed=False, backlog=0):
        """Record a run of the job; `completed` when nothing is left to do."""
        beat = self.sudo().search([("cron_xmlid", "=", cron_xmlid)])
        values = {"last_started": fields.Datetime.now(), "last_done": done, "backlog": backlog}
        if completed:
            values["last_completed"] = fields.Datetime.now()
        if beat:
            beat.write(values)
        else:
            self.sudo().create(dict(values, cron_xmlid=cron_xmlid, name=cron_xmlid))

    @api.model
    def _cron_watchdog(self):
        """Warn the managers, once per incident, of a job that is off or stale."""
        self._beat("hr_enforcement_archive.ir_cron_watchdog", completed=True)
        managers = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_manager").users
        activity_type = self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
        Notice = self.env["hr.enforcement.deadline.notice"]
        for beat in self.sudo().search([]):
            if beat.status == "ok":
                continue
            incident = f"{beat.status}:{beat.last_completed or 'never'}"
            if not Notice._claim("watchdog", beat, incident):
                continue
            for user in managers:
                local = self.with_context(lang=user.lang or self.env.lang)  # their language
                labels = dict(local._fields["status"]._description_selection(local.env))
                beat.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=fields.Date.context_today(self),
                    summary=local.env._(
                        "Scheduled job %(job)s: %(status)s",
                        job=beat.cron_id.with_context(lang=user.lang).name or beat.cron_xmlid,
                        status=labels[beat.status],
                    ),
                )
