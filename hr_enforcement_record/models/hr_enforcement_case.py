from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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
        """行政复议法 (2023) 第二十条: 60 days from the day the party knows of the decision;
        行政诉讼法 第四十六条: 6 months from that day (both calendar periods, from service
        of the decision). The bodies are the company's."""
        company = self.env.company
        return _(
            "If you do not accept this decision, you may apply to %(review)s for "
            "administrative reconsideration within 60 days of receiving it, or bring an "
            "administrative lawsuit before %(court)s within 6 months of receiving it.",
            review=company.enforcement_review_body or _("the administrative reconsideration body"),
            court=company.enforcement_court or _("the people's court"),
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
        if self.complaint_real_name and not self.env[
            "hr.enforcement.text.record"
        ].sudo().search_count(
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
        cases._forget_contacts()
        cases._schedule_deadline_activities()
        for case in cases:
            self.env["hr.enforcement.event"]._log(case, "created", case, case.name)
        return cases

    def _forget_contacts(self):
        """The contacts a case names are need-to-know (res.partner): their cached list is
        rebuilt now and again once this transaction is committed (R20.1)."""
        self.env.registry.clear_cache()
        self.env.cr.postcommit.add(self.env.registry.clear_cache)

    def write(self, vals):
        if {"complainant_id", "partner_id"} & set(vals):
            self._forget_contacts()
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
