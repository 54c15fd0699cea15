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
        return bool(self._claim_many(kind, record._name, [(record.id, milestone)]))

    @api.model
    def _claim_many(self, kind, model, pairs):
        """Claim (res_id, milestone) pairs in one statement; returns those this transaction
        is the first to claim. A pair claimed by a concurrent transaction waits for it and is
        then skipped (or fails to serialise, and the batch is retried)."""
        if not pairs:
            return set()
        ids, milestones = zip(*pairs, strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO hr_enforcement_deadline_notice
                       (kind, res_model, res_id, milestone, sent_at,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(kind)s, %(model)s, pair.res_id, pair.milestone, %(now)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(milestones)s::varchar[]) AS pair(res_id, milestone)
                    ON CONFLICT (res_id, res_model, kind, milestone) DO NOTHING
             RETURNING res_id, milestone
                """,
                kind=kind,
                model=model,
                ids=list(ids),
                milestones=list(milestones),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _reach(self, case, users, what):
        """The people who get a reminder about `case`: `users` that still exist and are
        active, else the department's leader, else the enforcement managers; each fallback
        is written on the case, so nobody is silently left out (R18.1, R18.2)."""
        reached = users.exists().filtered("active")
        if reached:
            return reached
        fallback = case._get_leader_user().filtered("active")
        if not fallback:
            managers = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_manager")
            fallback = managers.users.filtered(lambda u: u.active and not u._is_superuser())
        case.sudo().message_post(
            body=self.env._(
                "Nobody responsible could be reminded of %(what)s (no active user); the "
                "reminder went to %(people)s instead.",
                what=what,
                people=", ".join(fallback.mapped("name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return fallback

    @api.model
    def _activity_values(self, record, user, date_deadline, summary):
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": self.env.ref(
                "hr_enforcement_record.mail_activity_type_deadline"
            ).id,
            "user_id": user.id,
            "date_deadline": date_deadline,
            "summary": summary,
            "automated": True,
        }

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
        the batch is claimed in one statement, then `notify(claimed)` receives the
        (record, milestone) pairs this transaction claimed and returns the values of the
        activities to create, all created at once. The cron runner commits after each
        batch while `remaining` is positive."""
        self.env.flush_all()  # the selection reads the tables directly
        self.env.cr.execute(self._pending_sql(kind, model, due, "id, milestone", batch_size))
        todo = self.env.cr.fetchall()
        claimed = self._claim_many(kind, model, todo)
        milestone_of = dict(todo)
        records = self.env[model].browse(list(milestone_of))  # prefetched together
        pairs = [(r, milestone_of[r.id]) for r in records if (r.id, milestone_of[r.id]) in claimed]
        # sudo: reminders go to the people responsible, whoever runs the job
        self.env["mail.activity"].sudo().create(notify(pairs))
        self.env.cr.execute(self._pending_sql(kind, model, due, "count(*)"))
        remaining = self.env.cr.fetchone()[0]
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            cron_xmlid, done=len(todo), completed=not remaining
        )
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=remaining)
        return len(todo), remaining
