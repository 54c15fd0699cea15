from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

KINDS = [
    ("performance", "Performance of the decision"),
    ("correction_order", "Order to correct"),
    ("correction_check", "Check of the correction"),
    ("statement", "Statement or defence"),
    ("reminder", "Reminder (催告书)"),
    ("court_application", "Application to the court"),
    ("court_result", "Court's execution result"),
]
# What each step must record (R15-R17), checked for every entry point.
KIND_FACTS = {
    "performance": ("R15.1", ["performance"]),
    "correction_order": ("R15.2", ["document_id", "due_date"]),
    "correction_check": ("R15.2", ["parent_id", "check_result"]),
    "statement": ("R16.1", ["facts_raised", "review_result", "review_reason"]),
    # 行政强制法 第三十五条: the period, the manner and, for money, the amount (checked below)
    "reminder": ("R17.1", ["due_date", "performance_manner"]),
    "court_application": ("R17.2", ["parent_id", "document_id", "court"]),
    "court_result": ("R17.2", ["parent_id", "court_result"]),
}
PARENT_KIND = {
    "correction_check": "correction_order",
    "court_application": "reminder",
    "court_result": "court_application",
}


class HrEnforcementExecutionStep(models.Model):
    """One recorded step of execution after a decision (R15-R17): the party's performance,
    orders to correct and their check on the due date, statements and defences with their
    re-examination, the reminder (催告书, issued from its step with what 行政强制法 第三十五条
    requires and served like any document), the 10 working days' wait, the application to
    the court in the three months after the party's remedies ran out (第五十三条) and the
    court's result. Each step with a deadline puts a reminder on the handler's activities.
    Every period comes from the table of periods."""

    _name = "hr.enforcement.execution.step"
    _description = "Execution Step"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _order = "case_id, date, id"
    _rec_names_search = ["case_id.name"]
    _period_deadline_fields = ("deadline",)

    # computed in the reader's language, never stored
    name = fields.Char(compute="_compute_name")
    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    parent_id = fields.Many2one(
        "hr.enforcement.execution.step",
        "Follows",
        domain="[('case_id', '=', case_id)]",
        ondelete="restrict",
        tracking=True,
    )
    document_id = fields.Many2one(
        "hr.enforcement.text.record",
        domain="[('case_id', '=', case_id)]",
        ondelete="restrict",
    )
    av_record_id = fields.Many2one("hr.enforcement.av.record", "AV Record")
    notes = fields.Text()
    performance = fields.Selection(
        [("full", "Performed in full"), ("partial", "Partly performed"), ("none", "Not performed")],
        tracking=True,
    )
    due_date = fields.Date(
        "Perform By",
        tracking=True,
        help="Orders to correct: the day the correction is due. Reminders: the period the "
        "party is given to perform (行政强制法 art. 35 (1)).",
    )
    performance_manner = fields.Text(
        "Manner of Performance", help="How the party performs (行政强制法 art. 35 (2))."
    )
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount_due = fields.Monetary(
        "Amount and Payment",
        currency_field="currency_id",
        tracking=True,
        help="For money owed: the amount to pay (行政强制法 art. 35 (3)).",
    )
    check_result = fields.Selection(
        [("corrected", "Corrected"), ("not_corrected", "Not corrected")], tracking=True
    )
    checked_late = fields.Boolean(compute="_compute_deadline", store=True)
    facts_raised = fields.Text("Facts, Reasons and Evidence Raised")
    review_result = fields.Selection(
        [("adopted", "Adopted"), ("partly", "Partly adopted"), ("rejected", "Not adopted")],
        "Re-examination",
        tracking=True,
    )
    review_reason = fields.Text("Reasons of the Re-examination")
    service_ids = fields.One2many(
        "hr.enforcement.service", compute="_compute_service_ids", string="Services"
    )
    served_on = fields.Date(compute="_compute_wait_until")
    wait_until = fields.Date(
        "Reminder Period Ends",
        compute="_compute_wait_until",
        help="10 working days after the reminder was served (行政强制法 art. 54, 69; R17.1).",
    )
    decision_served_on = fields.Date(compute="_compute_deadline", store=True)
    remedies_end = fields.Date(
        "Remedy Periods End",
        compute="_compute_deadline",
        store=True,
        help="The later of the reconsideration (60 days) and litigation (6 months) periods "
        "after the decision was served (行政复议法 art. 20, 行政诉讼法 art. 46).",
    )
    court_from = fields.Date(
        "Court Application From",
        compute="_compute_court_from",
        help="The day after both the reminder period and the party's remedy periods ended "
        "(行政强制法 art. 53, 54; R17.1).",
    )
    court = fields.Char()
    court_result = fields.Text("Court's Result")
    deadline = fields.Date(compute="_compute_deadline", store=True, index=True)

    @api.depends("kind", "case_id.name", "date")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for step in self:
            step.name = f"{step.case_id.name or ''} {labels.get(step.kind, '')} {step.date or ''}"

    @api.depends("document_id")
    def _compute_service_ids(self):
        Service = self.env["hr.enforcement.service"]
        for step in self:
            step.service_ids = (
                Service.search([("document_id", "=", step.document_id.id)])
                if step.document_id
                else Service
            )

    @api.depends("kind", "document_id")
    def _compute_wait_until(self):
        """R17.1: the court may be asked once ten working days after the reminder was served
        have passed (行政强制法 第五十四条, 第六十九条)."""
        calendar = self.env["hr.enforcement.holiday"]
        for step in self:
            served = (
                self.env["hr.enforcement.service"]
                .search(
                    [("document_id", "=", step.document_id.id), ("state", "=", "served")],
                    order="service_date",
                    limit=1,
                )
                .service_date
                if step.kind == "reminder" and step.document_id
                else False
            )
            step.served_on = served
            step.wait_until = calendar._period_end("reminder_wait", served)

    @api.depends("wait_until", "remedies_end")
    def _compute_court_from(self):
        for step in self:
            ends = [day for day in (step.wait_until, step.remedies_end) if day]
            step.court_from = (
                max(ends) + timedelta(days=1)
                if step.kind == "reminder" and len(ends) == 2
                else False
            )

    @api.depends(
        "kind",
        "due_date",
        "date",
        "parent_id.due_date",
        "case_id.service_ids.state",
        "case_id.service_ids.service_date",
    )
    def _compute_deadline(self):
        """R15.2: an order is checked on its due date. R17.2: the court is asked in the three
        months after the party's reconsideration and litigation periods, which run from the
        service of the decision, have ended (行政强制法 第五十三条)."""
        calendar = self.env["hr.enforcement.holiday"]
        for step in self:
            served = step.kind == "reminder" and step.case_id._get_decision_served_on()
            step.decision_served_on = served or False
            step.remedies_end = served and max(
                calendar._period_end("reconsideration", served),
                calendar._period_end("litigation", served),
            )
            step.deadline = {
                "correction_order": step.due_date,
                "reminder": calendar._period_end("court_application", step.remedies_end),
            }.get(step.kind, False)
            step.checked_late = bool(
                step.kind == "correction_check"
                and step.parent_id.due_date
                and step.date > step.parent_id.due_date
            )

    @api.constrains("kind", "parent_id", "case_id")
    def _check_parent(self):
        for step in self:
            expected = PARENT_KIND.get(step.kind)
            if step.parent_id and (
                step.parent_id.kind != expected or step.parent_id.case_id != step.case_id
            ):
                raise ValidationError(
                    _(
                        "%(step)s must follow a step of the right kind of the same case.",
                        step=step.name,
                    )
                )

    @api.constrains("kind", "case_id")
    def _check_decided(self):
        for step in self:
            if step.kind != "statement" and not step.case_id.date_decided:
                raise ValidationError(
                    _(
                        "Execution steps follow a decision; %(case)s has none yet (R15.1).",
                        case=step.case_id.name,
                    )
                )

    @api.constrains(*{name for _ref, names in KIND_FACTS.values() for name in names}, "kind")
    def _check_facts(self):
        for step in self:
            ref, names = KIND_FACTS[step.kind]
            missing = [
                self._fields[name].get_description(self.env)["string"]
                for name in names
                if not step[name]
            ]
            if missing:
                raise ValidationError(
                    _(
                        "%(kind)s needs %(missing)s (%(ref)s).",
                        kind=dict(self._fields["kind"]._description_selection(self.env))[step.kind],
                        missing=", ".join(missing),
                        ref=ref,
                    )
                )

    def _check_reminder(self):
        """行政强制法 第三十五条、第五十四条: a reminder follows a decision served on the party,
        gives a period to perform after its own date and, for money, the amount."""
        self.ensure_one()
        served = self.decision_served_on
        if not served or self.date < served:
            raise ValidationError(
                _(
                    "A reminder follows the service of the decision on the party "
                    "(行政强制法 art. 54; R17.1)."
                )
            )
        if self.due_date <= self.date:
            raise ValidationError(
                _("The reminder gives the party a period to perform (行政强制法 art. 35 (1)).")
            )
        owed = sum(self.case_id.sudo().amount_ids.mapped("balance"))
        if owed > 0 and self.amount_due <= 0:
            raise ValidationError(
                _(
                    "The decision orders money: the reminder states the amount and how to pay "
                    "it (行政强制法 art. 35 (3); R17.1)."
                )
            )

    @api.constrains("kind", "date", "parent_id", "due_date", "amount_due")
    def _check_timing(self):
        for step in self:
            order = step.parent_id
            if step.kind == "correction_check" and step.date < order.due_date:
                raise ValidationError(
                    _(
                        "The correction is checked on or after its due date %(due)s (R15.2).",
                        due=order.due_date,
                    )
                )
            if step.kind == "reminder":
                step._check_reminder()
            if step.kind == "court_application":
                if not order.wait_until:
                    raise ValidationError(
                        _("The reminder must be served before applying to the court (R17.1).")
                    )
                if step.date < order.court_from:
                    raise ValidationError(
                        _(
                            "The court may be asked from %(day)s: ten working days after the "
                            "reminder was served and once the party's reconsideration and "
                            "litigation periods have ended (行政强制法 art. 53, 54; R17.1).",
                            day=order.court_from,
                        )
                    )
                if order.deadline and step.date > order.deadline:
                    raise ValidationError(
                        _(
                            "The statutory period to apply to the court ended on %(day)s (R17.2).",
                            day=order.deadline,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps._schedule_reminders()
        steps.parent_id.activity_feedback(
            ["hr_enforcement_record.mail_activity_type_deadline"],
            feedback=_("Followed up."),
        )
        return steps

    def action_issue_reminder(self):
        """Issue the reminder (催告书) of this step: numbered, printed, sealed (R17.1)."""
        self.ensure_one()
        return self.env["hr.enforcement.document.issue"]._action_open(
            self.case_id,
            _("Issue Reminder"),
            "hr_enforcement_service.document_type_reminder",
            execution_step_id=self.id,
        )

    def _schedule_reminders(self):
        activity_type = self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
        labels = {
            "correction_order": _("Check the correction on its due date (R15.2)"),
            "reminder": _("Apply to the court before the statutory period ends (R17.2)"),
        }
        for step in self.filtered(lambda s: s.deadline and s.kind in labels):
            user = step.case_id.handler_id.user_id
            if user:
                step.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=step.deadline,
                    summary=labels[step.kind],
                    user_id=user.id,
                )
