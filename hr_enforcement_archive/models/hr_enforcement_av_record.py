from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

DUE_SOON = timedelta(hours=6)
UPLOAD_CRON = "hr_enforcement_archive.ir_cron_upload_deadlines"


class HrEnforcementAvRecord(models.Model):
    _inherit = "hr.enforcement.av.record"

    uploaded_in_time = fields.Integer(
        "Stored within 24 h (%)",
        compute="_compute_uploaded_in_time",
        store=True,
        aggregator="avg",
        help="R18.2: 100 when stored within 24 hours, 0 when late or when its capture time "
        "is still to be given; averaged in reports.",
    )

    @api.depends("uploaded_at", "upload_late", "capture_time_pending")
    def _compute_uploaded_in_time(self):
        for record in self:
            in_time = record.uploaded_at and not (record.upload_late or record.capture_time_pending)
            record.uploaded_in_time = 100 if in_time else 0

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS hr_enforcement_av_record_upload_due_idx "
            "ON hr_enforcement_av_record (upload_deadline) WHERE uploaded_at IS NULL"
        )

    @api.model
    def _upload_due(self):
        """AV records not stored yet whose 24 hours end within 6 hours or have ended."""
        now = fields.Datetime.now()
        return SQL(
            """
            SELECT r.id,
                   CASE WHEN r.upload_deadline < %(now)s THEN 'overdue'
                        ELSE 'due_soon' END AS milestone
              FROM hr_enforcement_av_record r
             WHERE r.upload_deadline <= %(soon)s AND r.uploaded_at IS NULL
            """,
            now=now,
            soon=now + DUE_SOON,
        )

    @api.model
    def _cron_upload_deadlines(self, batch_size=200):
        """R18.2: an AV record is in the system within 24 hours. Remind its officer six hours
        before the deadline, escalate to the leader after it; batched, resumable, never
        twice (see the archiving job)."""
        return self.env["hr.enforcement.deadline.notice"]._run_job(
            "av_upload",
            self._name,
            self._upload_due(),
            self._upload_reminders,
            UPLOAD_CRON,
            batch_size,
        )

    @api.model
    def _upload_reminders(self, claimed):
        """Activities on the case for claimed (AV record, milestone) pairs: the officer six
        hours before the 24 hours end, the officer and the leader after (R18.2)."""
        Notice = self.env["hr.enforcement.deadline.notice"]
        today = fields.Date.context_today(self)
        values = []
        for record, milestone in claimed:
            users = record.officer_id.user_id
            if milestone == "overdue":

                def summary_of(env, record=record):
                    return env._(
                        "AV record not stored within 24 hours (R18.2): %(name)s",
                        name=record.name,
                    )

                users |= Notice._leaders(record.case_id, summary_of)
            else:

                def summary_of(env, record=record):
                    return env._(
                        "Store this AV record in the system before %(deadline)s (R18.2): %(name)s",
                        deadline=record.upload_deadline,
                        name=record.name,
                    )

            users = Notice._reach(record.case_id, users, summary_of)
            values += Notice._activities_for(record.case_id, users, today, summary_of)
        return values
