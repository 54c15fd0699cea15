from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.models.hr_enforcement_case import (
    HrEnforcementCase as RecordCase,
)
from odoo.addons.hr_enforcement_record.models.hr_enforcement_case_period import (
    HrEnforcementCase as PeriodCase,
)
from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import Freeze

REMINDER_DAYS = (7, 3, 1)  # reminders before the archiving deadline
ARCHIVE_CRON = "hr_enforcement_archive.ir_cron_archive_deadlines"
# levels a non-classified system may hold: a state secret is never processed here
# (保守国家秘密法 (2024) 第三十一条(三): no state secret stored or processed on a
# non-classified system)
# and is registered only as a paper file kept under the secrecy rules (R20.1)
CONFIDENTIALITY = [
    ("public", "Public"),
    ("internal", "Internal"),
    ("privacy", "Personal privacy"),
    ("commercial", "Commercial secret"),
    ("work_secret", "Work secret"),
]
CONFIDENTIAL_LEVELS = ("privacy", "commercial", "work_secret")
CONFIDENTIALITY_RANK = {key: rank for rank, (key, _label) in enumerate(CONFIDENTIALITY)}
OPEN_LEVELS = ("public", "internal")
MEMBER_FIELDS = ("handler_id", "reviewer_id", "approver_id")


class HrEnforcementCase(models.Model):
    _inherit = "hr.enforcement.case"
    _approval_kinds = (*RecordCase._approval_kinds, "confidentiality", "admission")
    _period_deadline_fields = (*PeriodCase._period_deadline_fields, "archive_deadline")

    confidentiality = fields.Selection(
        CONFIDENTIALITY,
        default="internal",
        required=True,
        tracking=True,
        index=True,
        help="R20.1: cases and records with a confidential level are seen only by the people "
        "on the case and by cleared staff.",
    )
    admitted_user_ids = fields.Many2many(
        "res.users",
        "hr_enforcement_case_admitted_rel",
        string="Admitted to the Confidential Case",
        readonly=True,
        copy=False,
        help="People without clearance admitted through an approved request (R20.1).",
    )
    archive_deadline = fields.Date(
        compute="_compute_archive_deadline",
        store=True,
        index=True,
        help="R18.1: 30 days after the enforcement act ended.",
    )
    case_file_id = fields.Many2one(
        "hr.enforcement.case.file", readonly=True, copy=False, index="btree_not_null"
    )
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
                calendar._period_end("archiving", case.date_ended) if case.date_ended else False
            )

    @api.depends("archive_deadline", "archived_on")
    def _compute_archived_on_time(self):
        for case in self:
            case.archived_on_time = (
                100 if case.archived_on and case.archived_on <= case.archive_deadline else 0
            )

    def _get_stage_blockers(self, new_stage):
        blockers = super()._get_stage_blockers(new_stage)
        # only archiving the case file closes an ended case (R18.1)
        if (
            new_stage == "closed"
            and self.stage == "archiving"
            and not self._guard_is_app_for("hr.enforcement.case.file")
        ):
            blockers.append(_("Archive the case file first (R18.1)."))
        return blockers

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.archived:
            freezes.append(
                Freeze(
                    self.env._(
                        "case %(case)s is archived; its file can only be consulted (R18.3)",
                        case=self.name,
                    )
                )
            )
        return freezes

    def write(self, vals):
        if not self._guard_is_app():
            self._check_confidentiality_change(vals)
        result = super().write(vals)
        if "confidentiality" in vals:
            # the records follow the case where not set higher: so do their events
            for model in ("hr.enforcement.text.record", "hr.enforcement.av.record"):
                records = self.env[model].sudo().search([("case_id", "in", self.ids)])
                self.env["hr.enforcement.event"]._sync_confidentiality(records)
        return result

    def _check_confidentiality_change(self, vals):
        """R20.1: raising a level is free; lowering it is decided through the approval
        chain; nobody joins a confidential case without clearance."""
        level = vals.get("confidentiality")
        for case in self:
            if level and CONFIDENTIALITY_RANK[level] < CONFIDENTIALITY_RANK[case.confidentiality]:
                raise UserError(
                    _(
                        "The confidentiality of %(case)s is lowered only through an approved "
                        "request (R20.1, R21.1).",
                        case=case.name,
                    )
                )
            new_level = level or case.confidentiality
            if new_level in OPEN_LEVELS:
                continue
            employees = self.env["hr.employee"].browse(
                [vals[name] for name in MEMBER_FIELDS if vals.get(name)]
            )
            case._check_cleared(employees.user_id)

    def _check_cleared(self, users):
        """Refuse `users` who would join this confidential case without clearance."""
        self.ensure_one()
        if self.confidentiality in OPEN_LEVELS:
            return
        known = self.sudo().member_user_ids | self.sudo().admitted_user_ids
        strangers = (users - known).filtered(
            lambda u: not u.has_group("hr_enforcement_archive.group_cleared")
        )
        if strangers:
            raise UserError(
                _(
                    "%(case)s is confidential: %(people)s may join it only once cleared for "
                    "confidential records or admitted through an approved request (R20.1).",
                    case=self.name,
                    people=", ".join(strangers.mapped("name")),
                )
            )

    def _check_approval_request(self, request):
        if request.kind == "admission" and not request.admitted_user_id:
            raise UserError(_("Name the person to admit to the confidential case (R20.1)."))
        if request.kind == "confidentiality":
            target = request.new_confidentiality
            if (
                not target
                or CONFIDENTIALITY_RANK[target] >= CONFIDENTIALITY_RANK[self.confidentiality]
            ):
                raise UserError(_("Name a lower confidentiality level to request (R20.1)."))
        return super()._check_approval_request(request)

    def _on_approval_approved(self, request):
        # sudo: the approved request authorises the change, whoever approves it
        if request.kind == "confidentiality":
            self.sudo()._app().write({"confidentiality": request.new_confidentiality})
        if request.kind == "admission":
            self.sudo()._app().write({"admitted_user_ids": [(4, request.admitted_user_id.id)]})
        return super()._on_approval_approved(request)

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
            day = case.archive_deadline
            if milestone == "overdue":

                def summary_of(env, day=day):
                    return env._("Archiving deadline %(day)s has passed (R18.1)", day=day)

                users = case.handler_id.user_id | Notice._leaders(case, summary_of)
            else:

                def summary_of(env, day=day):
                    return env._("Archive the case file by %(day)s (R18.1)", day=day)

                users = case.handler_id.user_id
            users = Notice._reach(case, users, summary_of)
            values += Notice._activities_for(case, users, day, summary_of)
        return values
