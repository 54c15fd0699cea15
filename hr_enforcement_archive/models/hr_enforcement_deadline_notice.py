import logging

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
RETRIES = 3


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
            ),
            # a concurrent claim is no error: the caller retries or decides (R18.1)
            log_exceptions=False,
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _managers(self):
        group = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_manager")
        return group.users.filtered(lambda u: u.active and not u._is_superuser())

    @api.model
    def _in_language_of(self, user):
        """This model in `user`'s language: what a job writes to someone is in theirs."""
        return self.with_context(lang=user.lang or self.env.lang)

    @api.model
    def _note_on(self, case, body_of, reader):
        """A note on `case`, in the language of its handler, else of `reader` (the person
        the job turned to); `body_of(env)` gives it."""
        reader = case.handler_id.user_id.filtered("active") or reader[:1] or self.env.user
        body = body_of(self._in_language_of(reader).env)
        case.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model
    def _leaders(self, case, what_of):
        """Who an overdue reminder escalates to: the handler's manager or the department's
        leader, else the enforcement managers, which the case then says (R18.1, R18.2)."""
        leaders = case._get_leader_user().filtered("active")
        if leaders:
            return leaders
        managers = self._managers()
        self._note_on(
            case,
            lambda env: env._(
                "No leader is named for the handler or the department of this case: %(what)s "
                "was escalated to the enforcement managers (%(people)s).",
                what=what_of(env),
                people=", ".join(managers.mapped("name")),
            ),
            managers,
        )
        return managers

    @api.model
    def _reach(self, case, users, what_of):
        """The people who get a reminder about `case`: `users` that still exist and are
        active, else the department's leader, else the enforcement managers; each fallback
        is written on the case, so nobody is silently left out (R18.1, R18.2). `what_of(env)`
        says what the reminder is about, in env's language."""
        reached = users.exists().filtered("active")
        if reached:
            return reached
        fallback = case._get_leader_user().filtered("active") or self._managers()
        self._note_on(
            case,
            lambda env: env._(
                "Nobody responsible could be reminded of %(what)s (no active user); the "
                "reminder went to %(people)s instead.",
                what=what_of(env),
                people=", ".join(fallback.mapped("name")),
            ),
            fallback,
        )
        return fallback

    @api.model
    def _activities_for(self, record, users, date_deadline, summary_of):
        """One reminder per user, its summary in the user's language."""
        return [
            self._activity_values(
                record, user, date_deadline, summary_of(self._in_language_of(user).env)
            )
            for user in users
        ]

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
        """`_run_batch`; under the cron runner, retried quietly in a new transaction when
        a concurrent run claimed the same reminders (a serialisation failure under
        REPEATABLE READ: nothing is lost, nothing sent twice, nothing to log as an error).
        The runner committed its progress record before the call: rolling back undoes only
        this batch."""
        for attempt in range(1, RETRIES + 1):
            try:
                return self._run_batch(kind, model, due, notify, cron_xmlid, batch_size)
            except SerializationFailure:
                if not self.env.context.get("cron_id") or attempt == RETRIES:
                    raise
                self.env.cr.rollback()
                self.env.transaction.reset()
                _logger.info("%s: a concurrent run claimed this batch; trying again", kind)

    @api.model
    def _run_batch(self, kind, model, due, notify, cron_xmlid, batch_size):
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
