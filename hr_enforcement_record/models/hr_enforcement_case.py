import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..report.cjk_pdf import find_font
from ..report.event_log_pdf import write_event_log
from .hr_enforcement_certificate import LABOUR_INSPECTION_TYPES
from .hr_enforcement_guard import Freeze

STAGES = [
    ("initiation", "Initiation"),
    ("investigation", "Investigation"),
    ("decision", "Review & Decision"),
    ("service", "Service & Execution"),
    ("archiving", "Archiving"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# R3.1: the stages a case may move to from each stage.
STAGE_TRANSITIONS = {
    "initiation": {"investigation", "closed", "cancelled"},
    "investigation": {"decision", "cancelled"},
    "decision": {"service", "investigation", "cancelled"},
    "service": {"archiving"},
    "archiving": {"closed"},
    "closed": set(),
    "cancelled": set(),
}
DECIDED_STAGES = ("service", "archiving", "closed")
# R22.3: the decided facts of a case do not change once it is decided.
LOCKED_AFTER_DECISION = frozenset(
    {
        "enforcement_type",
        "origin",
        "partner_id",
        "facts",
        "legal_basis",
        "factors_considered",
        "decision_summary",
        "remedies_notice",
        "handler_id",
        "reviewer_id",
        "approver_id",
        "decision_kind",
        "penalty_kind",
        "fine_amount",
        "complex_case",
    }
)


def case_selection(field_name):
    """The selection of a case field, in the reader's language, for the models that name a
    kind of case (requirements, rules, settings)."""
    return lambda self: (
        self.env["hr.enforcement.case"]._fields[field_name]._description_selection(self.env)
    )



class HrEnforcementCase(models.Model):
    """An administrative enforcement case (R2.1, R3.1).

    Officers create and handle the cases of their department and those they are on; legal
    reviewers, approvers, archivists and supervisors read every case of the company; only
    the manager changes any case. Stages move through `action_*` buttons whose rules live in
    `write()`, so RPC and import obey them too. Nobody deletes a case: cancel it instead.
    """

    _name = "hr.enforcement.case"
    _description = "Enforcement Case"
    _inherit = [
        "hr.enforcement.guard",
        "mail.thread",
        "mail.activity.mixin",
        "hr.enforcement.approval.mixin",
    ]
    _order = "date_received desc, id desc"
    # R7.2: the day a complaint was received starts its clock; it is never moved afterwards
    _guard_immutable_fields = frozenset({"date_received"})
    _guard_rule_ref = "R3.1, R22.3"
    _approval_kinds = (
        "case_opening",
        "investigation_extension",
        "decision",
        "decision_extension",
        "cancellation",
        "closing",
    )

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    enforcement_type = fields.Selection(
        [
            ("licensing", "Administrative Licensing"),
            ("penalty", "Administrative Penalty"),
            ("inspection", "Administrative Inspection"),
            ("confirmation", "Administrative Confirmation"),
        ],
        required=True,
        tracking=True,
        index=True,
    )
    stage = fields.Selection(
        STAGES,
        default="initiation",
        required=True,
        tracking=True,
        index=True,
        readonly=True,
        group_expand="_expand_stages",
    )
    origin = fields.Selection(
        [
            ("application", "Application"),
            ("complaint", "Complaint or report"),
            ("ex_officio", "Ex officio"),
            ("referral", "Referral"),
        ],
        required=True,
        tracking=True,
    )
    subject = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one("res.partner", "Party", tracking=True, index=True)
    partner_id_number_masked = fields.Char(
        related="partner_id.enforcement_id_number_masked", string="Party ID (masked)"
    )
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id.department_id,
    )
    # an officer opening a case handles it unless someone else is named
    handler_id = fields.Many2one(
        "hr.employee",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
    )
    reviewer_id = fields.Many2one("hr.employee", required=True, tracking=True, check_company=True)
    approver_id = fields.Many2one("hr.employee", required=True, tracking=True, check_company=True)
    member_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_member_user_ids",
        store=True,
        string="People on the Case",
    )
    facts = fields.Text(tracking=True)
    legal_basis = fields.Text(tracking=True)
    factors_considered = fields.Text(help="Factors considered in the decision (R12.1).")
    decision_summary = fields.Text("Decision", tracking=True)
    remedies_notice = fields.Text(
        "Remedies",
        default=lambda self: self._default_remedies_notice(),
        help="How and within which time limits the party may seek administrative "
        "reconsideration or bring a lawsuit (R13.1).",
    )
    cancel_reason = fields.Text(tracking=True)

    # Complaints and reports (R7.1, R7.2)
    complainant_id = fields.Many2one("res.partner", tracking=True)
    complaint_real_name = fields.Boolean("Real-name Complaint", tracking=True)
    complaint_decision = fields.Selection(
        [("pending", "Pending"), ("accepted", "Taken up"), ("rejected", "Not taken up")],
        default="pending",
        tracking=True,
    )
    complaint_decision_date = fields.Date(tracking=True)
    complaint_rejection_record = fields.Text("Written Decision Not to Take Up", tracking=True)
    complaint_notice_date = fields.Date("Complainant Notified On", tracking=True)
    # 关于实施《劳动保障监察条例》若干规定 第十八条: the complainant is told in writing
    complaint_notice_method = fields.Selection(
        [
            ("in_person", "Written notice handed over"),
            ("post", "Written notice by post"),
            ("email", "Written notice by e-mail"),
        ],
        "Notice Method",
        tracking=True,
    )

    # Key dates: received is entered; the others are set by the approval chain and stages.
    date_received = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_filed = fields.Date("Filed On", readonly=True, tracking=True, copy=False)
    date_decided = fields.Date("Decided On", readonly=True, tracking=True, copy=False)
    date_ended = fields.Date(
        "Enforcement Ended On",
        readonly=True,
        tracking=True,
        copy=False,
        help="The day the enforcement act ended; the archiving period runs from it (R18.1).",
    )
    date_closed = fields.Date("Closed On", readonly=True, tracking=True, copy=False)

    investigation_ids = fields.One2many("hr.enforcement.investigation", "case_id")
    deliberation_ids = fields.One2many("hr.enforcement.deliberation", "case_id")
    investigation_count = fields.Integer(compute="_compute_counts")
    deliberation_count = fields.Integer(compute="_compute_counts")
    requirement_status_ids = fields.One2many(
        "hr.enforcement.case.requirement", "case_id", string="Completeness"
    )
    closing_approved = fields.Boolean(compute="_compute_closing_approved")
    text_record_count = fields.Integer(compute="_compute_record_counts")
    av_record_count = fields.Integer(compute="_compute_record_counts")
    event_count = fields.Integer(compute="_compute_record_counts")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "The case reference must be unique."),
    ]

    def _default_remedies_notice(self):
        return _(
            "If you do not accept this decision, you may apply for administrative "
            "reconsideration within 60 days of receiving it, or bring an administrative "
            "lawsuit before the people's court within 6 months of receiving it."
        )

    # ------------------------------------------------------------------ compute
    @api.depends(
        "handler_id.user_id",
        "reviewer_id.user_id",
        "approver_id.user_id",
        "investigation_ids.officer_line_ids.employee_id.user_id",
    )
    def _compute_member_user_ids(self):
        for case in self:
            employees = (
                case.handler_id
                | case.reviewer_id
                | case.approver_id
                | case.investigation_ids.officer_line_ids.employee_id
            )
            case.member_user_ids = employees.user_id

    @api.depends("approval_ids.state")
    def _compute_closing_approved(self):
        for case in self:
            case.closing_approved = case._approval_is_granted("closing")

    @api.depends("investigation_ids", "deliberation_ids")
    def _compute_counts(self):
        for case in self:
            case.investigation_count = len(case.investigation_ids)
            case.deliberation_count = len(case.deliberation_ids)

    @api.model
    def _expand_stages(self, stages, domain):
        """Every stage, in the order of article 3, in kanban and grouped lists (R3.1)."""
        return [key for key, _label in STAGES]

    @api.model
    def _stage_order_sql(self, sql_stage):
        """The position of a stage in article 3, for sorting (not the alphabet of its key)."""
        return SQL("array_position(%s::text[], %s::text)", [key for key, _l in STAGES], sql_stage)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "stage":
            sql_stage = self._field_to_sql(alias, "stage", query)
            return SQL("%s %s %s", self._stage_order_sql(sql_stage), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_orderby(self, order, groupby_terms, query):
        if "stage" in groupby_terms:
            groupby_terms = dict(groupby_terms, stage=self._stage_order_sql(groupby_terms["stage"]))
        return super()._read_group_orderby(order, groupby_terms, query)

    def _compute_record_counts(self):
        counts = {}
        for model, field in (
            ("hr.enforcement.text.record", "text_record_count"),
            ("hr.enforcement.av.record", "av_record_count"),
            ("hr.enforcement.event", "event_count"),
        ):
            groups = self.env[model]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
            counts[field] = {case.id: count for case, count in groups}
        for case in self:
            for field, by_case in counts.items():
                case[field] = by_case.get(case.id, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains("handler_id", "reviewer_id", "approver_id")
    def _check_distinct_roles(self):
        """R21.1: handler, reviewer and approver are three different people."""
        for case in self:
            people = [case.handler_id, case.reviewer_id, case.approver_id]
            if len(set(people)) < 3:
                raise ValidationError(
                    _(
                        "The handler, the reviewer and the approver of case %(case)s must be "
                        "three different people (R21.1).",
                        case=case.name,
                    )
                )

    @api.constrains("handler_id", "enforcement_type")
    def _check_handler_certificate(self):
        """R8.1: only an officer with a valid certificate of the case's field handles it."""
        today = fields.Date.context_today(self)
        for case in self:
            certs = case.handler_id.sudo().enforcement_certificate_ids  # sudo: validity only
            if case.enforcement_type in LABOUR_INSPECTION_TYPES:
                certs = certs.filtered(lambda c: c.enforcement_field == "labour_inspection")
            if not certs.filtered(lambda c: c._get_state_on(today) == "valid"):
                raise ValidationError(
                    _(
                        "%(officer)s holds no valid enforcement certificate and cannot handle "
                        "a case (R8.1).",
                        officer=case.handler_id.name,
                    )
                )

    @api.constrains(
        "stage",
        "origin",
        "complaint_real_name",
        "complaint_decision",
        "complaint_rejection_record",
        "complaint_notice_date",
        "complaint_notice_method",
    )
    def _check_complaint_closure(self):
        """R7.2: a real-name complaint not taken up is closed only with the written decision
        and the notice to the complainant."""
        for case in self:
            if not (
                case.stage == "closed"
                and case.origin == "complaint"
                and case.complaint_decision == "rejected"
            ):
                continue
            missing = case._get_complaint_closure_missing()
            if missing:
                raise ValidationError(
                    _(
                        "Case %(case)s is a real-name complaint that was not taken up; it "
                        "cannot be closed without: %(missing)s (R7.2).",
                        case=case.name,
                        missing=", ".join(missing),
                    )
                )

    def _get_complaint_closure_missing(self):
        self.ensure_one()
        required = ["complaint_decision_date", "complaint_rejection_record"]
        if self.complaint_real_name:
            required += ["complainant_id", "complaint_notice_date", "complaint_notice_method"]
        missing = [self._field_label(name) for name in required if not self[name]]
        notice = self.env.ref("hr_enforcement_record.document_type_complaint_rejection_notice")
        if self.complaint_real_name and not self.env["hr.enforcement.text.record"].sudo().search_count(
            [("case_id", "=", self.id), ("document_type_id", "=", notice.id), ("sealed", "=", True)]
        ):
            missing.append(notice.name)
        return missing

    def _stage_labels(self):
        return dict(self._fields["stage"]._description_selection(self.env))

    def _field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]

    # ------------------------------------------------------------------ CRUD
    @api.model
    def _prepare_app_values(self, vals_list):
        vals_list = super()._prepare_app_values(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                received = fields.Date.to_date(
                    vals.get("date_received")
                ) or fields.Date.context_today(self)
                vals["name"] = self._next_reference(company, received)
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        cases._schedule_deadline_activities()
        for case in cases:
            self.env["hr.enforcement.event"]._log(case, "created", case, case.name)
        return cases

    def write(self, vals):
        moved = self.browse()
        if "stage" in vals and self._guard_is_app():  # others are refused by the guard
            for case in self:
                case._check_stage_transition(vals["stage"])
            moved = self.filtered(lambda c: c.stage != vals["stage"])
            before = {case: case.stage for case in moved}
        result = super().write(vals)
        if moved:
            # R3.1, R21.1: each stage change is a step of the process in the case's log
            labels = self._stage_labels()
            for case in moved:
                self.env["hr.enforcement.event"]._log(
                    case,
                    "stage_changed",
                    case,
                    f"{labels[before[case]]} → {labels[case.stage]}",
                )
        if "stage" in vals or "date_filed" in vals:
            self._schedule_deadline_activities()
        return result

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.stage in DECIDED_STAGES:
            freezes.append(
                Freeze(
                    self.env._("the case is decided; its facts no longer change (R22.3)"),
                    only=LOCKED_AFTER_DECISION,
                    inherit=False,
                )
            )
        if self.stage in ("closed", "cancelled"):
            freezes.append(
                Freeze(
                    self.env._(
                        "the case is %(stage)s (R3.1, R22.3)",
                        stage=self._stage_labels()[self.stage],
                    )
                )
            )
        return freezes

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Enforcement cases are never deleted; cancel the case instead (R22.3)."))

    # ------------------------------------------------------------------ stages
    def _check_stage_transition(self, new_stage):
        self.ensure_one()
        if new_stage == self.stage:
            return
        if new_stage not in STAGE_TRANSITIONS[self.stage]:
            labels = self._stage_labels()
            raise UserError(
                _(
                    "Case %(case)s cannot go from %(old)s to %(new)s (R3.1).",
                    case=self.name,
                    old=labels[self.stage],
                    new=labels[new_stage],
                )
            )
        blockers = self._get_stage_blockers(new_stage)
        if blockers:
            raise UserError(
                _(
                    "Case %(case)s cannot move on yet:\n%(blockers)s",
                    case=self.name,
                    blockers="\n".join(f"- {b}" for b in blockers),
                )
            )

    def _get_stage_blockers(self, new_stage):
        """What keeps this case from entering `new_stage`; extended by the sibling addons."""
        self.ensure_one()
        blockers = []
        if new_stage == "investigation":
            if self.origin == "complaint" and self.complaint_decision != "accepted":
                blockers.append(_("The complaint has not been taken up (R7.1)."))
            if self._requires_opening_approval() and not self._approval_is_granted(
                "case_opening"
            ):
                blockers.append(_("The opening of the case is not approved (R21.1)."))
        elif new_stage == "decision":
            if not self.investigation_ids:
                blockers.append(_("No investigation step is recorded (R8.1)."))

        elif new_stage == "service":
            if not self._approval_is_granted("decision"):
                blockers.append(_("The decision is not approved (R13.5, R21.1)."))
            untimed = self.env["hr.enforcement.av.record"].search(
                [("case_id", "=", self.id), ("capture_time_pending", "=", True)]
            )
            if untimed:
                blockers.append(
                    _(
                        "Give the capture time of %(records)s, or write why it cannot be "
                        "given (R18.2).",
                        records=", ".join(untimed.mapped("name")),
                    )
                )
            for name in ("facts", "legal_basis", "decision_summary", "remedies_notice"):
                if not self[name]:
                    blockers.append(
                        _("%(field)s is missing (R12.1, R13.1).", field=self._field_label(name))
                    )
        elif new_stage == "closed" and self.stage == "initiation":
            if not (self.origin == "complaint" and self.complaint_decision == "rejected"):
                blockers.append(
                    _("Only a complaint that is not taken up closes at initiation (R7.2).")
                )
            else:
                missing = self._get_complaint_closure_missing()
                if missing:
                    blockers.append(
                        _("Missing for closing (R7.2): %(missing)s", missing=", ".join(missing))
                    )
        elif new_stage == "cancelled":
            if not self.cancel_reason:
                blockers.append(_("Write the reason for cancelling."))
            if not self._approval_is_granted("cancellation"):
                blockers.append(_("The cancellation of the case is not approved (R21.1)."))
        elif new_stage == "archiving" and not self._approval_is_granted("closing"):
            blockers.append(_("The closing of the case (结案) is not approved (R21.1)."))
        if new_stage not in ("cancelled", "investigation", "closed") or (
            new_stage == "investigation" and self.stage == "initiation"
        ):
            blockers += self._get_missing_requirements()
        return blockers

    def _requires_opening_approval(self):
        """Whether the case is opened (立案) through the approval chain; extended."""
        return True

    def _get_missing_requirements(self):
        """Required records of this stage and the earlier ones that are neither present nor
        excused (R8–R17 completeness matrix)."""
        self.ensure_one()
        order = [key for key, _label in STAGES]
        self.env.flush_all()
        missing = self.env["hr.enforcement.case.requirement"].search(
            [
                ("case_id", "=", self.id),
                ("status", "=", "missing"),
                ("stage_sequence", "<=", order.index(self.stage)),
            ]
        )
        # self.env._: the language is the reader's, also inside the comprehension
        return [
            self.env._(
                "Missing %(record)s (%(ref)s): add it or write why it is not needed.",
                record=line.requirement_id.name,
                ref=line.requirement_ref,
            )
            for line in missing
        ]

    def _move_to(self, stage, **dates):
        today = fields.Date.context_today(self)
        if stage in DECIDED_STAGES:
            # sealed while the case still takes changes: once closed, the case's freeze
            # would refuse the seal itself (a record added at the archiving stage); a
            # refused move rolls the seals back with it
            self._seal_records()
        self._app().write(dict({"stage": stage}, **{k: today for k in dates}))

    def _seal_records(self):
        """R22.3: once decided, every record of the case is sealed for good."""
        for model in ("hr.enforcement.text.record", "hr.enforcement.av.record"):
            records = (
                self.env[model]
                .sudo()
                .search(  # sudo: sealing covers every record
                    [("case_id", "in", self.ids), ("sealed", "=", False)]
                )
            )
            records._seal(check=False)

    def action_start_investigation(self):
        self._move_to("investigation")

    def action_to_decision(self):
        self._move_to("decision")

    def action_back_to_investigation(self):
        self._move_to("investigation")

    def action_to_service(self):
        self._move_to("service")

    def action_to_archiving(self):
        self._move_to("archiving", date_ended=True)

    def action_close(self):
        self._move_to("closed", date_closed=True)

    def action_cancel(self):
        """Cancelled once the cancellation is approved (R21.1); refused before."""
        self._move_to("cancelled", date_closed=True)

    def action_issue_document(self):
        """Issue a statutory document from the case: filled, numbered, printed, sealed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Issue Document"),
            "res_model": "hr.enforcement.document.issue",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    # ------------------------------------------------------------------ printouts
    @api.model
    def _get_pdf_font(self):
        """The CJK TrueType font that printouts embed: hr_enforcement.receipt_font, else one
        the set-up installs; a clear error in the user's language when there is none."""
        param = self.env["ir.config_parameter"].sudo().get_param("hr_enforcement.receipt_font")
        path = find_font(param)
        if not path:
            raise UserError(
                _(
                    "No Chinese font for the printouts was found. Install the package "
                    "fonts-wqy-microhei, or set the system parameter "
                    "hr_enforcement.receipt_font to a TrueType font file."
                )
            )
        return path

    def action_print_event_log(self):
        self.ensure_one()
        return self.env.ref("hr_enforcement_record.action_report_case_event_log").report_action(
            self
        )

    def _render_reportlab_pdf(self, report_name):
        if report_name != "hr_enforcement_record.report_case_event_log":
            return super()._render_reportlab_pdf(report_name)
        self.ensure_one()
        stream = io.BytesIO()
        self._render_event_log(stream)
        return stream.getvalue()

    def _render_event_log(self, stream):
        """The case's event log with its chain head and the latest daily head (R22.3)."""
        self.ensure_one()
        Event = self.env["hr.enforcement.event"].sudo()  # sudo: the log of a readable case
        head = self.env["hr.enforcement.event.head"].sudo().search([], limit=1)
        labels = {
            "title": _("Event Log of Case %s", self.name),
            "sequence": _("No."),
            "timestamp": _(
                "Time (%(zone)s)", zone=Event.with_company(self.company_id)._bureau_tz().zone
            ),
            "event_type": _("Event"),
            "description": _("Description"),
            "user": _("By"),
            "purpose": _("Purpose"),
            "hash": _("Hash"),
        }
        heading = [
            (_("Chain head of this case"), Event._get_chain_head(self)),
            (
                _("Latest daily head of all cases"),
                f"{head.date} {head.digest}" if head else _("none recorded yet"),
            ),
            (_("Time-stamped at (UTC)"), head.tsa_time or ""),
        ]
        types = dict(Event._fields["event_type"]._description_selection(self.env))
        rows = [
            {
                "sequence": event.sequence,
                "timestamp": event.timestamp_local,
                "event_type": types.get(event.event_type, ""),
                "description": event.description,
                "user": event.user_id.name,
                "purpose": event.purpose,
                "hash": event.hash[:16],
            }
            for event in Event.search([("case_id", "=", self.id)], order="sequence")
        ]
        write_event_log(stream, self._get_pdf_font(), labels, heading, rows)

    def action_verify_event_chain(self):
        """R22.3: recompute the case's event chain, compare it with its head row and the
        last daily head, and tell the user where it breaks."""
        self.ensure_one()
        broken = self.env["hr.enforcement.event"].sudo()._find_break(self)
        if broken:
            message = _(
                "The event log of %(case)s was altered: %(what)s.", case=self.name, what=broken
            )
        else:
            message = _("The event log of %(case)s is intact.", case=self.name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Event chain"),
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }

    def _alert_broken_log(self, what, key=None):
        """Tell the archivists and the managers, once per break, that this case's log was
        altered (R22.3); the handler alone may be the one who did it. `key` (the break in
        English) finds an alert already given, whatever the language it was given in."""
        self.ensure_one()
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        mark = f"[LOG-{self.id}] {key or what}"
        if self.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and mark in (a.note or "")
        ):
            return
        groups = ("group_archivist", "group_manager")
        users = self.env["res.users"]
        for group in groups:
            users |= self.env.ref(f"hr_enforcement_record.hr_enforcement_record_{group}").users
        for user in users.filtered(lambda u: u.active and not u._is_superuser()):
            local = self.with_context(lang=user.lang or self.env.lang)
            self.activity_schedule(
                "hr_enforcement_record.mail_activity_type_fixity",
                summary=local.env._("The event log of %(case)s was altered", case=self.name),
                note=mark,
                user_id=user.id,
            )

    # ------------------------------------------------------------------ approvals
    def _get_approval_defaults(self, kind):
        return {
            "reviewer_id": self.reviewer_id.user_id.id,
            "approver_id": self.approver_id.user_id.id,
        }

    def _check_approval_request(self, request):
        if request.kind == "case_opening" and self.stage != "initiation":
            raise UserError(_("The opening of a case is approved at initiation (R21.1)."))
        if request.kind == "decision" and self.stage != "decision":
            raise UserError(_("A decision is approved at the review & decision stage (R13.5)."))
        if request.kind == "cancellation":
            if self.stage not in ("initiation", "investigation", "decision"):
                raise UserError(_("Only a case not yet decided is cancelled (R3.1)."))
            if not (self.cancel_reason or "").strip():
                raise UserError(_("Write the reason for cancelling before asking for approval."))
            form = self.env.ref("hr_enforcement_record.document_type_cancellation_approval_form")
            if not self.env["hr.enforcement.text.record"].search_count(
                [("case_id", "=", self.id), ("document_type_id", "=", form.id)]
            ):
                raise UserError(
                    _("Issue the case cancellation approval form first (撤销立案审批表, R21.1).")
                )
        if request.kind == "closing" and self.stage != "service":
            raise UserError(
                _("A case is closed (结案) once its decision is served and executed (R3.1).")
            )
        return super()._check_approval_request(request)

    def _on_approval_approved(self, request):
        # sudo: the recorded approval chain authorises these writes, whoever the approver is
        case = self.sudo()._app()
        today = fields.Date.context_today(self)
        if request.kind == "case_opening":
            case.write({"date_filed": today})
        elif request.kind == "decision":
            case.write({"date_decided": today})
        self.message_post(
            body=_(
                "%(request)s approved by %(approver)s: %(opinion)s",
                request=request.name,
                approver=request.approver_id.name,
                opinion=request.approval_opinion,
            )
        )
        if request.kind == "cancellation":
            # the approved cancellation is the decision: the case ends with it (R21.1)
            case._move_to("cancelled", date_closed=True)

    # ------------------------------------------------------------------ helpers
    @api.model
    def _next_reference(self, company, day, code="hr.enforcement.case"):
        """Next reference of `company`'s own yearly sequence `code`, copied from the template
        shipped as `seq_<code>`."""
        sequence = self.env["ir.sequence"].sudo()  # sudo: officers draw numbers, not manage them
        company_sequence = sequence.search(
            [("code", "=", code), ("company_id", "=", company.id)], limit=1
        )
        if not company_sequence:
            template = self.env.ref(f"hr_enforcement_record.seq_{code.replace('.', '_')}").sudo()
            company_sequence = template.copy({"company_id": company.id})
        return company_sequence.next_by_id(sequence_date=day)
