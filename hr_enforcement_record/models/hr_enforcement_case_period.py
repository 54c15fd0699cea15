from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..periods import PERIODS, WORKING
from .hr_enforcement_certificate import LABOUR_INSPECTION_TYPES


# the case is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementCase(models.Model):
    """The statutory deadlines of a case, from the table of periods (`periods.py`): stored,
    derived from the case's dates and approved extensions only. An extension is requested
    once, through the approval chain, and capped by its statute."""

    _inherit = "hr.enforcement.case"  # pylint: disable=consider-merging-classes-inherited
    # the deadlines that follow the holiday calendar (recomputed when a year is entered)
    _period_deadline_fields = (
        "complaint_decision_deadline",
        "investigation_deadline",
        "decision_deadline",
    )

    investigation_extension_days = fields.Integer(readonly=True, copy=False)
    decision_extension_days = fields.Integer(readonly=True, copy=False)
    complaint_decision_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="5 working days from receipt (R7.2; 关于实施《劳动保障监察条例》若干规定 art. 18).",
    )
    investigation_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="60 working days from filing, extended once by up to 30 working days with the "
        "head's approval (劳动保障监察条例 art. 17).",
    )
    decision_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Penalty cases: 90 days from filing (行政处罚法 art. 60), extended once by up to "
        "30 days through the approval chain.",
    )
    next_deadline = fields.Date(compute="_compute_deadlines", store=True, index=True, tracking=True)
    calendar_gap_note = fields.Char(compute="_compute_calendar_gap_note")

    _sql_constraints = [
        (
            "extension_days_positive",
            "CHECK(investigation_extension_days >= 0 AND decision_extension_days >= 0)",
            "Extensions cannot be negative.",
        ),
    ]

    @api.depends(
        "stage",
        "origin",
        "enforcement_type",
        "date_received",
        "date_filed",
        "investigation_extension_days",
        "decision_extension_days",
        "complaint_decision",
        # cases opened by an application (hr_enforcement_case_application.py)
        "application_id.decision_deadline",
        "licence_issue_deadline",
        "licence_issued_on",
        "suspended",
    )
    def _compute_deadlines(self):
        calendar = self.env["hr.enforcement.holiday"]
        for case in self:
            case.complaint_decision_deadline = (
                calendar._period_end("complaint_decision", case.date_received)
                if case.origin == "complaint"
                else False
            )
            # 劳动保障监察条例 第十七条 times the investigation of labour-inspection cases
            case.investigation_deadline = (
                calendar._period_end(
                    "investigation", case.date_filed, case.investigation_extension_days
                )
                if case.enforcement_type in LABOUR_INSPECTION_TYPES
                else False
            )
            case.decision_deadline = case._get_decision_deadline()
            case.next_deadline = case._get_next_deadline()

    def _get_decision_deadline(self):
        """The day the decision is due; extended by the types of case with their own."""
        self.ensure_one()
        if self.enforcement_type != "penalty":
            return False
        return self.env["hr.enforcement.holiday"]._period_end(
            "penalty_decision", self.date_filed, self.decision_extension_days
        )

    def _get_next_deadline(self):
        """The deadline that the current stage must meet; extended by the sibling addons."""
        self.ensure_one()
        if self.stage == "initiation":
            if self.origin == "complaint" and self.complaint_decision == "pending":
                return self.complaint_decision_deadline
            return False
        if self.stage == "investigation":
            candidates = [d for d in (self.investigation_deadline, self.decision_deadline) if d]
            return min(candidates) if candidates else False
        if self.stage == "decision":
            return self.decision_deadline
        return False

    def _get_calendar_dates(self):
        """The deadlines of the case that the holiday calendar must cover; extended."""
        self.ensure_one()
        if self.stage in ("closed", "cancelled"):
            return []
        return [self[name] for name in self._period_deadline_fields if self[name]]

    @api.depends(lambda self: self._period_deadline_fields)
    @api.depends_context("lang")
    def _compute_calendar_gap_note(self):
        calendar = self.env["hr.enforcement.holiday"]
        for case in self:
            case.calendar_gap_note = calendar._calendar_gap_note(case._get_calendar_dates())

    def _on_period_deadlines_moved(self):
        self.filtered(
            lambda c: c.stage not in ("closed", "cancelled")
        )._schedule_deadline_activities()

    def _schedule_deadline_activities(self):
        """Remind the handler of the deadline of the current stage; the deadline itself stays
        on the case, so closing the activity never moves it."""
        activity_type = self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
        for case in self:
            case.activity_unlink(["hr_enforcement_record.mail_activity_type_deadline"])
            user = case.handler_id.user_id
            if case.next_deadline and user:
                case.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=case.next_deadline,
                    summary=_(
                        "Statutory deadline of the %(stage)s stage",
                        stage=case._stage_labels()[case.stage],
                    ),
                    user_id=user.id,
                )

    # ------------------------------------------------------------------ extensions
    def _check_approval_request(self, request):
        result = super()._check_approval_request(request)
        if request.kind == "investigation_extension":
            if self.stage != "investigation":
                raise UserError(_("Only an investigation under way can be extended."))
            self._check_extension(request, "investigation", self.investigation_extension_days)
        if request.kind == "decision_extension":
            if self.enforcement_type != "penalty" or self.stage not in (
                "investigation",
                "decision",
            ):
                raise UserError(_("Only a pending penalty decision can be extended."))
            self._check_extension(request, "penalty_decision", self.decision_extension_days)
        return result

    def _check_extension(self, request, key, granted):
        """Once, and by no more than its statute allows (the table of periods)."""
        period = PERIODS[key]
        if granted or self.approval_ids.filtered(
            lambda r: r.kind == request.kind and r.state == "approved" and r != request
        ):
            raise UserError(
                _("This period can be extended only once (%(statute)s).", statute=period.statute)
            )
        if not 0 < request.extension_days <= period.extension:
            raise UserError(
                _(
                    "This period can be extended by 1 to %(max)s %(unit)s (%(statute)s).",
                    max=period.extension,
                    unit=_("working days") if period.unit == WORKING else _("days"),
                    statute=period.extension_statute,
                )
            )

    def _on_approval_approved(self, request):
        # sudo: the recorded approval chain authorises these writes, whoever the approver is
        case = self.sudo()._app()
        if request.kind == "investigation_extension":
            case.write({"investigation_extension_days": request.extension_days})
        elif request.kind == "decision_extension":
            case.write({"decision_extension_days": request.extension_days})
        return super()._on_approval_approved(request)
