from odoo import api, fields, models
from odoo.tools import SQL


class HrEnforcementDeadlineNotice(models.Model):
    """The ledger of reminders and escalations sent by the deadline jobs: one row per
    (kind, record, milestone), inserted in the same transaction as the activity it stands
    for. A job killed mid-batch rolls both back; a re-run, or a second worker, finds the
    row and sends nothing twice (R18.1, R18.2)."""

    _name = "hr.enforcement.deadline.notice"
    _description = "Deadline Notice"
    _order = "id desc"

    kind = fields.Selection(
        [
            ("archive", "Archiving deadline"),
            ("av_upload", "AV upload deadline"),
            ("watchdog", "Scheduled job warning"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    milestone = fields.Char(required=True, readonly=True)
    sent_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    _sql_constraints = [
        (
            "notice_unique",
            "unique(kind, res_model, res_id, milestone)",
            "This notice was sent already.",
        )
    ]

    @api.model
    def _claim(self, kind, record, milestone):
        """True when this transaction is the first to send `milestone` for `record`."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO hr_enforcement_deadline_notice "
                "(kind, res_model, res_id, milestone, sent_at, create_uid, create_date, "
                "write_uid, write_date) "
                "VALUES (%s, %s, %s, %s, now() at time zone 'UTC', %s, now() at time zone "
                "'UTC', %s, now() at time zone 'UTC') "
                "ON CONFLICT (kind, res_model, res_id, milestone) DO NOTHING RETURNING id",
                kind,
                record._name,
                record.id,
                milestone,
                self.env.uid,
                self.env.uid,
            )
        )
        return bool(self.env.cr.fetchone())
