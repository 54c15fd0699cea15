from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.tools.articles import article_label

from .hr_enforcement_case import CONFIDENTIAL_LEVELS

RECTIFY_DAYS = 15
DETECT_CRON = "hr_enforcement_archive.ir_cron_detect_violations"
# kind: (requirement ID, what was found)
KINDS = {
    "missing_record": ("R22.1", "Required record missing past its stage"),
    "av_late": ("R18.2", "AV record stored later than 24 hours"),
    "not_archived": ("R18.1", "Case not archived within 30 days"),
    "no_deadline": ("R18.1", "Case ended without an archiving deadline"),
    "fixity": ("R22.4", "Stored file altered, missing or unreadable"),
    "receipt_scan": ("R22.3", "Forged or stale receipt code scanned"),
    "access": ("R22.2", "Confidential file opened outside an approved request"),
}
# the state of the subject that says what is wrong with it (fixity, scan result, event)
DETAIL_STATE_FIELDS = ("fixity_state", "result", "event_type")


class HrEnforcementViolation(models.Model):
    """A breach of the recording rules found by the scheduled detection (R22.1-R22.4),
    tied to its requirement ID and the people responsible, issued with a rectification
    order (责令限期整改, 15 days by default) that supervisors may adjust and close once the
    responsible people report what they did (R22.5). One violation per fact: detection is
    idempotent."""

    _name = "hr.enforcement.violation"
    _description = "Recording Violation"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _guard_rule_ref = "R22.5"
    _order = "detected_on desc, id desc"
    _rec_names_search = ["case_id.name", "detail", "requirement_ref"]

    # in the reader's language, as the kind and the subject read: never stored in the
    # language of the job that found it
    name = fields.Char(compute="_compute_name")
    kind = fields.Selection(
        [(key, label) for key, (_ref, label) in KINDS.items()], required=True, readonly=True
    )
    requirement_ref = fields.Char("Requirement", required=True, readonly=True, index=True)
    article = fields.Char(compute="_compute_article")
    case_id = fields.Many2one("hr.enforcement.case", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Integer(readonly=True)
    detail = fields.Char(readonly=True)
    detail_display = fields.Char("Subject", compute="_compute_detail_display")
    responsible_user_ids = fields.Many2many("res.users", string="Responsible", readonly=True)
    responsible_employee_id = fields.Many2one("hr.employee", "Officer", readonly=True, index=True)
    detected_on = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("open", "Open"), ("rectifying", "Rectification ordered"), ("closed", "Rectified")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    rectification_order = fields.Text("Rectification Order (责令限期整改)", tracking=True)
    rectification_due = fields.Date("Rectify By", tracking=True, index=True)
    rectified_on = fields.Date(readonly=True, tracking=True)
    rectification_note = fields.Text(tracking=True)
    overdue = fields.Boolean(compute="_compute_overdue", search="_search_overdue")

    def init(self):
        # one violation per fact; a missing record is the fact (requirement, case)
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS hr_enforcement_violation_fact_uniq "
            "ON hr_enforcement_violation (kind, res_model, res_id, coalesce(case_id, 0))"
        )

    @api.depends("kind", "case_id.name", "detail_display")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for violation in self:
            violation.name = " - ".join(
                filter(
                    None,
                    [
                        labels.get(violation.kind),
                        violation.case_id.name,
                        violation.detail_display,
                    ],
                )
            )

    @api.depends("requirement_ref")
    @api.depends_context("lang")
    def _compute_article(self):
        for violation in self:
            violation.article = article_label(violation.requirement_ref, self.env.lang)

    @api.depends("res_model", "res_id", "detail")
    @api.depends_context("lang")
    def _compute_detail_display(self):
        """What the violation is about, named in the reader's language (a requirement, a
        file and its fixity, a scan and its result), one query per kind of subject."""
        ids_by_model = defaultdict(list)
        for violation in self:
            if violation.res_model in self.env:
                ids_by_model[violation.res_model].append(violation.res_id)
        texts = {}
        for model, ids in ids_by_model.items():
            # sudo: the subject's name, for whoever may read the violation that names it
            for subject in self.env[model].sudo().browse(ids).exists():
                texts[model, subject.id] = self._describe_subject(subject)
        for violation in self:
            violation.detail_display = texts.get(
                (violation.res_model, violation.res_id), violation.detail
            )

    def _describe_subject(self, subject):
        text = subject.display_name
        for name in DETAIL_STATE_FIELDS:
            if name in subject._fields and subject[name]:
                labels = dict(subject._fields[name]._description_selection(self.env))
                return f"{text}: {labels.get(subject[name], subject[name])}"
        return text

    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for violation in self:
            violation.overdue = bool(
                violation.state == "rectifying"
                and violation.rectification_due
                and violation.rectification_due < today
            )

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue rectifications."))
        domain = [
            ("state", "=", "rectifying"),
            ("rectification_due", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    def write(self, vals):
        """The detected facts never change (the guard); the state moves by the buttons;
        officers write only what they did to rectify (R22.5)."""
        if not self._guard_is_app() and set(vals) - {"rectification_note"}:
            self._check_leader()
        return super().write(vals)

    def _check_leader(self):
        user = self.env.user
        if not (
            user.has_group("hr_enforcement_record.hr_enforcement_record_group_supervisor")
            or user.has_group("hr_enforcement_record.hr_enforcement_record_group_manager")
        ):
            raise UserError(_("Only supervisors and managers order rectifications (R22.5)."))

    def action_order_rectification(self):
        """R22.5: order, or amend, the rectification (text and due date) in a dialog: the
        supervisors' own permitted action on violations, which they otherwise only read."""
        self._check_leader()
        if any(violation.state == "closed" for violation in self):
            raise UserError(_("A closed violation is not ordered again (R22.5)."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Order Rectification"),
            "res_model": "hr.enforcement.violation.order",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _default_order_text(self):
        self.ensure_one()
        if self.rectification_order:
            return self.rectification_order
        labels = dict(self._fields["kind"]._description_selection(self.env))
        return _(
            "Rectify: %(what)s (%(ref)s). %(detail)s",
            what=labels[self.kind],
            ref=self.requirement_ref,
            detail=self.detail or "",
        )

    def _order_rectification(self, order, due):
        """Put an order in force (open violations) or amend it (rectifying ones), by a
        supervisor or a manager; the activities of the people responsible follow its due
        date (R22.5)."""
        self._check_leader()
        self.check_access("read")  # what the leader may not read, they do not order either
        if not (order or "").strip():
            raise UserError(_("Write the rectification order first (R22.5)."))
        if any(violation.state == "closed" for violation in self):
            raise UserError(_("A closed violation is not ordered again (R22.5)."))
        # sudo: the leader reads violations; this action is what they may do to them
        violations = self.sudo()
        opened = violations.filtered(lambda v: v.state == "open")
        violations._app().write({"rectification_order": order, "rectification_due": due})
        opened._issue_order()
        deadline = self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
        (violations - opened).activity_ids.filtered(lambda a: a.activity_type_id == deadline).write(
            {"date_deadline": due}
        )

    def _issue_order(self):
        """Put the order in force: its due date (15 days unless set), the state, and an
        activity for each person responsible, which closing the violation marks done."""
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for violation in self:
            due = violation.rectification_due or fields.Date.context_today(self) + timedelta(
                days=RECTIFY_DAYS
            )
            violation._app().write(
                {
                    "state": "rectifying",
                    "rectification_due": due,
                    "rectification_order": violation.rectification_order
                    or _(
                        "Rectify by %(day)s: %(what)s (%(ref)s). %(detail)s",
                        day=due,
                        what=labels[violation.kind],
                        ref=violation.requirement_ref,
                        detail=violation.detail or "",
                    ),
                }
            )
            Notice = self.env["hr.enforcement.deadline.notice"]
            for user in violation.responsible_user_ids:
                violation.activity_schedule(
                    "hr_enforcement_record.mail_activity_type_deadline",
                    date_deadline=due,
                    summary=Notice._in_language_of(user).env._(
                        "Rectify by %(day)s (R22.5)", day=due
                    ),
                    user_id=user.id,
                )

    def action_close(self):
        self._check_leader()
        self.check_access("read")
        for violation in self:
            if violation.state != "rectifying" or not violation.rectification_note:
                raise UserError(
                    _("Order the rectification and describe what was done before closing.")
                )
        # sudo: closing is the leaders' own permitted action on violations they only read
        self.sudo()._app().write(
            {"state": "closed", "rectified_on": fields.Date.context_today(self)}
        )
        self.sudo().activity_feedback(
            ["hr_enforcement_record.mail_activity_type_deadline"], feedback=_("Rectified.")
        )

    # ------------------------------------------------------------------ detection
    @api.model
    def _cron_detect(self, batch_size=500):
        """Record up to `batch_size` new violations, kind after kind, and report what is
        left: the cron runner calls again (committing in between) until nothing is, so
        there is no cap per day. A fact already recorded is skipped by the unique key, so a
        re-run or a crash never duplicates one; a run stopped early leaves its backlog on
        the heartbeat and the job is not marked completed."""
        self.env.flush_all()  # detection reads the tables directly
        found = 0
        for kind in KINDS:
            if found >= batch_size:
                break
            found += self._record(kind, self._new_facts(kind, batch_size - found))
        self.env.flush_all()
        remaining = sum(self._count_new_facts(kind) for kind in KINDS)
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            DETECT_CRON, done=found, completed=not remaining, backlog=remaining
        )
        self.env["ir.cron"]._notify_progress(done=found, remaining=remaining)
        return found

    @api.model
    def _new_facts_sql(self, kind, select, limit=None):
        """`select` over the facts of `kind` (what `_detect_<kind>()` finds: res_model,
        res_id, case_id, employee_id, detail) that no violation records yet, in the order
        they were found; the probe matches the unique index of violations."""
        return SQL(
            """
            SELECT %(select)s
              FROM (%(facts)s) AS fact(res_model, res_id, case_id, employee_id, detail)
             WHERE NOT EXISTS (
                   SELECT 1 FROM hr_enforcement_violation v
                    WHERE v.kind = %(kind)s AND v.res_model = fact.res_model
                      AND v.res_id = fact.res_id
                      AND coalesce(v.case_id, 0) = coalesce(fact.case_id, 0))
            %(tail)s
            """,
            select=SQL(select),
            facts=getattr(self, f"_detect_{kind}")(),
            kind=kind,
            tail=SQL("ORDER BY fact.res_id LIMIT %s", limit) if limit else SQL(""),
        )

    @api.model
    def _new_facts(self, kind, limit):
        self.env.cr.execute(self._new_facts_sql(kind, "fact.*", limit))
        return self.env.cr.fetchall()

    @api.model
    def _count_new_facts(self, kind):
        self.env.cr.execute(self._new_facts_sql(kind, "count(*)"))
        return self.env.cr.fetchone()[0]

    @api.model
    def _record(self, kind, rows):
        """rows: (res_model, res_id, case_id, employee_id, detail), all new."""
        created = 0
        Case = self.env["hr.enforcement.case"].sudo()
        Employee = self.env["hr.employee"].sudo()
        seen = set()
        for res_model, res_id, case_id, employee_id, detail in rows:
            if (res_model, res_id, case_id) in seen:  # a user with two employees, say
                continue
            seen.add((res_model, res_id, case_id))
            case = Case.browse(case_id)
            employee = Employee.browse(employee_id) if employee_id else case.handler_id
            responsible = self._responsible_users(employee, case)
            violation = (
                self.sudo()
                ._app()
                .create(
                    {
                        "kind": kind,
                        "requirement_ref": KINDS[kind][0],
                        "case_id": case.id or False,
                        "company_id": (case.company_id or self.env.company).id,
                        "department_id": (case.department_id or employee.department_id).id,
                        "res_model": res_model,
                        "res_id": res_id,
                        "detail": (detail or "")[:250],
                        "responsible_employee_id": employee.id,
                        "responsible_user_ids": [(6, 0, responsible.ids)],
                    }
                )
            )
            if responsible != employee.user_id:
                violation._app("mail.message").message_post(
                    body=self.env["hr.enforcement.deadline.notice"]
                    ._in_language_of(responsible[:1])
                    .env._(
                        "%(officer)s is no longer in service: %(people)s answer for the "
                        "rectification instead (R22.5).",
                        officer=employee.name or "-",
                        people=", ".join(responsible.mapped("name")),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            violation._issue_order()  # R22.5: every violation comes with its order
            created += 1
        return created

    @api.model
    def _responsible_users(self, employee, case):
        """Who answers for a violation: the officer while in service, else the officer's
        manager or the department's leader, else the enforcement managers (R22.5)."""
        users = employee.user_id.filtered("active") if employee.active else employee.user_id[:0]
        if not users:
            department = case.department_id or employee.department_id
            users = (employee.parent_id.user_id | department.manager_id.user_id).filtered("active")
        return users or self.env["hr.enforcement.deadline.notice"]._managers()

    def _detect_missing_record(self):
        return SQL(
            """
                SELECT 'hr.enforcement.requirement', r.requirement_id, r.case_id, NULL,
                       req.name->>'en_US'
                  FROM hr_enforcement_case_requirement r
                  JOIN hr_enforcement_requirement req ON req.id = r.requirement_id
                  JOIN hr_enforcement_case c ON c.id = r.case_id
                 WHERE r.status = 'missing' AND r.stage_sequence < %s
                   AND c.stage NOT IN ('cancelled', 'initiation')
                """,
            SQL(
                "(SELECT array_position(ARRAY['initiation','investigation','decision',"
                "'service','archiving','closed','cancelled'], c.stage::text) - 1)"
            ),
        )

    def _detect_av_late(self):
        return SQL(
            """
                SELECT 'hr.enforcement.av.record', r.id, r.case_id, r.officer_id, r.name
                  FROM hr_enforcement_av_record r
                 WHERE (r.upload_late OR (r.uploaded_at IS NULL AND r.upload_deadline < %s))
                """,
            fields.Datetime.now(),
        )

    def _detect_not_archived(self):
        return SQL(
            """
                SELECT 'hr.enforcement.case', c.id, c.id, c.handler_id, c.name
                  FROM hr_enforcement_case c
                 WHERE c.archive_deadline < %s AND c.archived IS NOT TRUE
                   AND c.stage NOT IN ('cancelled', 'closed')
                """,
            fields.Date.context_today(self),
        )

    def _detect_fixity(self):
        return SQL(
            """
                SELECT 'hr.enforcement.evidence.file', f.id, f.case_id, NULL,
                       f.name || ': ' || f.fixity_state
                  FROM hr_enforcement_evidence_file f
                 WHERE f.fixity_state IN ('missing', 'altered', 'unreadable')
                """,
        )

    def _detect_no_deadline(self):
        """Ended cases whose archiving deadline is missing: no reminder can ever reach
        anyone about them, so the gap itself is reported (R18.1)."""
        return SQL(
            """
                SELECT 'hr.enforcement.case', c.id, c.id, c.handler_id, c.name
                  FROM hr_enforcement_case c
                 WHERE c.date_ended IS NOT NULL AND c.archive_deadline IS NULL
                   AND c.archived IS NOT TRUE AND c.stage NOT IN ('cancelled', 'closed')
                """,
        )

    def _detect_receipt_scan(self):
        return SQL(
            """
                SELECT 'hr.enforcement.receipt.scan', s.id, sv.case_id, e.id,
                       s.result || ': ' || coalesce(s.code, '')
                  FROM hr_enforcement_receipt_scan s
             LEFT JOIN hr_enforcement_service sv ON sv.id = s.service_id
             LEFT JOIN hr_employee e ON e.user_id = s.user_id
                 WHERE s.result IN ('forged', 'stale')
                """,
        )

    def _detect_access(self):
        """Views and downloads of confidential files by people not on the case and not
        under an approved access request, which the event names by id (R19.1, R20.1)."""
        return SQL(
            """
                SELECT 'hr.enforcement.event', ev.id, ev.case_id, e.id,
                       ev.event_type || ': ' || coalesce(ev.description, '')
                  FROM hr_enforcement_event ev
                  JOIN hr_enforcement_evidence_file f
                    ON ev.res_model = 'hr.enforcement.evidence.file' AND f.id = ev.res_id
             LEFT JOIN hr_employee e ON e.user_id = ev.user_id
                 WHERE ev.event_type IN ('viewed', 'downloaded')
                   AND f.confidentiality IN %s
                   AND NOT EXISTS (SELECT 1 FROM hr_enforcement_case_res_users_rel m
                                    WHERE m.hr_enforcement_case_id = ev.case_id
                                      AND m.res_users_id = ev.user_id)
                   AND NOT EXISTS (SELECT 1 FROM hr_enforcement_access_request a
                                    WHERE ev.origin_model = 'hr.enforcement.access.request'
                                      AND a.id = ev.origin_id AND a.user_id = ev.user_id
                                      AND a.state = 'approved')
                """,
            CONFIDENTIAL_LEVELS,
        )
