from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..periods import PERIODS
from .hr_enforcement_application import OPEN_STATES


# the application is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementApplication(models.Model):
    """The periods of an application from the table of periods: the 5 working days to ask
    for a supplement, after which it is accepted by law from its receipt (行政许可法 第三十二条),
    the decision period of its matter, extended once through the approval chain."""

    _inherit = "hr.enforcement.application"  # pylint: disable=consider-merging-classes-inherited

    @api.depends(
        "received_at",
        "accepted_on",
        "state",
        "extension_days",
        "matter_id.period_set",
        "case_id.suspension_ids.days",
    )
    def _compute_deadlines(self):
        holidays = self.env["hr.enforcement.holiday"]
        for application in self:
            received = fields.Date.context_today(application, application.received_at)
            application.acceptance_deadline = holidays._period_end(
                application.matter_id._acceptance_period(), received
            )
            application.decision_deadline = (
                holidays._period_end(
                    application.matter_id._decision_period(),
                    application.accepted_on,
                    # 工伤保险条例 第二十条: the days suspended do not count
                    application.extension_days
                    + sum(application.case_id.suspension_ids.mapped("days")),
                )
                if application.state == "accepted"
                else False
            )

    @api.depends("acceptance_deadline", "state", "supplement_number", "matter_id")
    def _compute_accepted_by_law_now(self):
        today = fields.Date.context_today(self)
        for application in self:
            application.accepted_by_law_now = application._deems_acceptance(today)

    @api.depends("acceptance_deadline", "decision_deadline", "state")
    @api.depends_context("lang")
    def _compute_calendar_gap_note(self):
        calendar = self.env["hr.enforcement.holiday"]
        for application in self:
            dates = (
                [application.acceptance_deadline]
                if application.state in OPEN_STATES
                else [application.decision_deadline]
            )
            application.calendar_gap_note = calendar._calendar_gap_note(dates)

    def _deems_acceptance(self, day):
        """Licensing only: no supplement requested within its period (行政许可法 第三十二条)."""
        self.ensure_one()
        return (
            self.matter_id.enforcement_type == "licensing"
            and self.state == "received"
            and not self.supplement_number
            and bool(self.acceptance_deadline)
            and day > self.acceptance_deadline
        )

    @api.model
    def _cron_deem_accepted(self, batch=200):
        """Licensing applications not told what to supplement within 5 working days are
        accepted from receipt (行政许可法 第三十二条第一款第四项); each opens alone, a failure
        is logged on it and retried the next day. Idempotent. Returns (opened, remaining)."""
        today = fields.Date.context_today(self)
        domain = [
            ("state", "=", "received"),
            ("supplement_number", "=", False),
            ("acceptance_deadline", "<", today),
            ("matter_id.enforcement_type", "=", "licensing"),
        ]
        candidates = self.search(domain, limit=batch)
        opened = 0
        for application in candidates:
            try:
                with self.env.cr.savepoint():
                    application._open_case(today, True)
                opened += 1
            except (UserError, ValidationError) as error:
                application._app("mail.message").message_post(
                    body=_(
                        "Could not open the case of the application accepted by law: %(error)s",
                        error=error,
                    )
                )
        return opened, self.search_count(domain)

    def _get_approval_defaults(self, kind):
        return {
            "reviewer_id": self.reviewer_id.user_id.id,
            "approver_id": self.approver_id.user_id.id,
            "extension_days": PERIODS[self.matter_id._decision_period()].extension,
        }

    def _check_approval_request(self, request):
        result = super()._check_approval_request(request)
        period = PERIODS[self.matter_id._decision_period()]
        if self.state != "accepted" or self.extension_days or not period.extension:
            raise UserError(
                _(
                    "Only an accepted licensing application is extended, once (%(statute)s).",
                    statute=period.extension_statute or period.statute,
                )
            )
        if not 0 < request.extension_days <= period.extension:
            raise UserError(
                _(
                    "The decision period is extended by 1 to %(max)s working days (%(statute)s).",
                    max=period.extension,
                    statute=period.extension_statute,
                )
            )
        return result

    def _on_approval_approved(self, request):
        if request.kind == "application_extension":
            self.sudo()._app().write({"extension_days": request.extension_days})
