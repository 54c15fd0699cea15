from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.models.hr_enforcement_approval_mixin import SYSTEM_WRITE

ARCHIVE_DAYS = 30  # R18.1
REMINDER_DAYS = (7, 3, 1)  # reminders before the archiving deadline
ARCHIVE_CRON = "hr_enforcement_archive.ir_cron_archive_deadlines"
CONFIDENTIALITY = [
    ("public", "Public"),
    ("internal", "Internal"),
    ("privacy", "Personal privacy"),
    ("commercial", "Commercial secret"),
    ("state_secret", "State secret"),
]
CONFIDENTIAL_LEVELS = ("privacy", "commercial", "state_secret")
# what an archived case still lets the application write: chatter bookkeeping only
LOCK_ALLOWED = frozenset({"message_main_attachment_id", "activity_ids", "message_follower_ids"})


def check_not_archived(records, vals=None, allowed=LOCK_ALLOWED):
    """Refuse to change or delete `records` (which have a `case_id`) once their case is
    archived, except the `allowed` fields that the application keeps up to date."""
    if vals is not None and not set(vals) - allowed:
        return
    locked = records.sudo().filtered(lambda r: r.case_id.archived)
    if locked:
        raise UserError(
            records.env._(
                "%(record)s belongs to the archived case %(case)s; it can only be consulted "
                "(R18.3, R22.3).",
                record=locked[0].display_name,
                case=locked[0].case_id.name,
            )
        )


class HrEnforcementCase(models.Model):
    _inherit = "hr.enforcement.case"

    confidentiality = fields.Selection(
        CONFIDENTIALITY,
        default="internal",
        required=True,
        tracking=True,
        index=True,
        help="R20.1: cases and records with a confidential level are seen only by the people "
        "on the case and by cleared staff.",
    )
    archive_deadline = fields.Date(
        compute="_compute_archive_deadline",
        store=True,
        index=True,
        help="R18.1: 30 days after the enforcement act ended.",
    )
    case_file_id = fields.Many2one("hr.enforcement.case.file", readonly=True, copy=False)
    archived = fields.Boolean(
        related="case_file_id.archived", store=True, index=True, string="Archived"
    )
    archived_on = fields.Date(related="case_file_id.archived_on", store=True)
    archived_on_time = fields.Integer(
        "Archived on Time (%)",
        compute="_compute_archived_on_time",
        store=True,
        aggregator="avg",
        help="100 when archived within the deadline, 0 when late or still open past it.",
    )

    @api.depends("date_ended")
    def _compute_archive_deadline(self):
        calendar = self.env["hr.enforcement.holiday"]
        for case in self:
            case.archive_deadline = (
                calendar._add_calendar_days(case.date_ended, ARCHIVE_DAYS)
                if case.date_ended
                else False
            )

    @api.depends("archive_deadline", "archived_on")
    def _compute_archived_on_time(self):
        for case in self:
            case.archived_on_time = (
                100 if case.archived_on and case.archived_on <= case.archive_deadline else 0
            )

    def _get_stage_blockers(self, new_stage):
        blockers = super()._get_stage_blockers(new_stage)
        # the marker is an object that JSON-RPC cannot send: only archiving closes the case
        if (
            new_stage == "closed"
            and self.stage == "archiving"
            and self.env.context.get("hr_enforcement_archiving") is not SYSTEM_WRITE
        ):
            blockers.append(_("Archive the case file first (R18.1)."))
        return blockers

    def write(self, vals):
        locked = self.filtered("archived")
        if locked and set(vals) - LOCK_ALLOWED:
            raise UserError(
                _(
                    "Case %(case)s is archived; its file can only be consulted (R18.3, R22.3).",
                    case=locked[0].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_archived(self):
        if self.filtered("archived"):
            raise UserError(_("An archived case is never deleted (R22.3)."))

    def action_open_case_file(self):
        self.ensure_one()
        case_file = self.case_file_id or self.env["hr.enforcement.case.file"].create(
            {"case_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.enforcement.case.file",
            "res_id": case_file.id,
            "view_mode": "form",
        }

    def init(self):
        # the archiving job reads only cases still to archive, by deadline: a partial index
        # keeps its cost in proportion to that set, however many cases are archived
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS hr_enforcement_case_archive_due_idx "
            "ON hr_enforcement_case (archive_deadline) "
            "WHERE archived IS NOT TRUE AND stage NOT IN ('cancelled', 'closed')"
        )

    @api.model
    def _archive_due(self):
        """Cases to archive within 7 days or late, with the milestone they have reached."""
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT c.id,
                   CASE WHEN c.archive_deadline < %(today)s THEN 'overdue'
                        WHEN c.archive_deadline <= %(t1)s THEN 't1'
                        WHEN c.archive_deadline <= %(t3)s THEN 't3'
                        ELSE 't7' END AS milestone
              FROM hr_enforcement_case c
             WHERE c.archive_deadline <= %(t7)s
               AND c.archived IS NOT TRUE
               AND c.stage NOT IN ('cancelled', 'closed')
            """,
            today=today,
            t1=today + timedelta(days=REMINDER_DAYS[2]),
            t3=today + timedelta(days=REMINDER_DAYS[1]),
            t7=today + timedelta(days=REMINDER_DAYS[0]),
        )

    @api.model
    def _archive_pending_sql(self, select, limit=None):
        return self.env["hr.enforcement.deadline.notice"]._pending_sql(
            "archive", self._name, self._archive_due(), select, limit
        )

    @api.model
    def _cron_archive_deadlines(self, batch_size=200):
        """R18.1: remind the people on a case 7, 3 and 1 day before its archiving deadline
        and escalate to their leader once it has passed. Work is read from stored dates;
        each batch commits (the cron runner commits after each call that reports progress);
        the notice ledger makes a re-run or a second worker send nothing twice."""
        return self.env["hr.enforcement.deadline.notice"]._run_job(
            "archive",
            self._name,
            self._archive_due(),
            self._archive_reminders,
            ARCHIVE_CRON,
            batch_size,
        )

    def _get_leader_user(self):
        self.ensure_one()
        handler = self.handler_id
        return (handler.parent_id or self.department_id.manager_id).user_id

    @api.model
    def _archive_reminders(self, claimed):
        """Activities for claimed (case, milestone) pairs: the handler before the deadline,
        the handler and the leader after it (R18.1)."""
        Notice = self.env["hr.enforcement.deadline.notice"]
        values = []
        for case, milestone in claimed:
            if milestone == "overdue":
                summary = _(
                    "Archiving deadline %(day)s has passed (R18.1)", day=case.archive_deadline
                )
                users = case.handler_id.user_id | case._get_leader_user()
            else:
                summary = _("Archive the case file by %(day)s (R18.1)", day=case.archive_deadline)
                users = case.handler_id.user_id
            values += [
                Notice._activity_values(case, user, case.archive_deadline, summary)
                for user in users
            ]
        return values
