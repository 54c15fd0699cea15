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
            # res_id first: the jobs' NOT EXISTS probes it per due record
            "unique(res_id, res_model, kind, milestone)",
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
                "ON CONFLICT (res_id, res_model, kind, milestone) DO NOTHING RETURNING id",
                kind,
                record._name,
                record.id,
                milestone,
                self.env.uid,
                self.env.uid,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _pending_sql(self, kind, model, due, select, limit=None):
        """`select` over the records of `due` (a query giving `id, milestone` from stored
        dates) whose milestone has not been noticed yet; the probe is an index lookup."""
        return SQL(
            """
            WITH due AS (%(due)s)
            SELECT %(select)s FROM due
             WHERE NOT EXISTS (
                   SELECT 1 FROM hr_enforcement_deadline_notice n
                    WHERE n.res_id = due.id AND n.res_model = %(model)s
                      AND n.kind = %(kind)s AND n.milestone = due.milestone)
            %(tail)s
            """,
            due=due,
            select=SQL(select),
            model=model,
            kind=kind,
            tail=SQL("ORDER BY id LIMIT %s", limit) if limit else SQL(""),
        )

    @api.model
    def _run_job(self, kind, model, due, notify, cron_xmlid, batch_size):
        """One batch of a deadline job over the records of `due` (see `_pending_sql`):
        each is claimed, then `notify(record, milestone)` is called in the same
        transaction. The cron runner commits after each batch while `remaining` is
        positive."""
        self.env.flush_all()  # the selection reads the tables directly
        self.env.cr.execute(self._pending_sql(kind, model, due, "id, milestone", batch_size))
        todo = self.env.cr.fetchall()
        Model = self.env[model]
        for record_id, milestone in todo:
            record = Model.browse(record_id)
            if self._claim(kind, record, milestone):
                notify(record, milestone)
        self.env.cr.execute(self._pending_sql(kind, model, due, "count(*)"))
        remaining = self.env.cr.fetchone()[0]
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            cron_xmlid, done=len(todo), completed=not remaining
        )
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=remaining)
        return len(todo), remaining
