from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class HrEnforcementSuspension(models.Model):
    """A suspension (中止) of a work-injury determination: the period to decide stops while
    the conclusion of a court, an arbitration commission or another authority that the
    determination depends on is awaited, and runs again from the day it is resumed
    (工伤保险条例 第二十条第三款). Each suspension and resumption is a step of the case's log;
    the days suspended are added to the application's decision period."""

    _name = "hr.enforcement.suspension"
    _description = "Suspension of a Determination"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id", "date_from", "awaited", "reason"})
    _guard_open_stages = ("investigation", "decision")
    _guard_event_on_create = "suspension"
    _guard_rule_ref = "R6.1"
    _order = "case_id, date_from, id"

    case_id = fields.Many2one("hr.enforcement.case", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    date_from = fields.Date(
        "Suspended On", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date("Resumed On", tracking=True, copy=False)
    awaited = fields.Char(
        "Conclusion Awaited",
        required=True,
        help="The judicial or administrative conclusion the determination depends on, e.g. "
        "the labour arbitration award on the employment relationship.",
    )
    reason = fields.Text(required=True)
    days = fields.Integer("Days Suspended", compute="_compute_days", store=True)

    @api.depends("date_from", "date_to")
    def _compute_days(self):
        for suspension in self:
            suspension.days = (
                (suspension.date_to - suspension.date_from).days if suspension.date_to else 0
            )

    @api.depends("case_id.name", "date_from")
    def _compute_display_name(self):
        for suspension in self:
            suspension.display_name = _(
                "Suspension of %(case)s from %(day)s",
                case=suspension.case_id.name or "",
                day=suspension.date_from or "",
            )

    @api.constrains("case_id", "date_from", "date_to")
    def _check_dates(self):
        for suspension in self:
            case = suspension.case_id
            if case.enforcement_type != "confirmation" or not case.application_id:
                raise ValidationError(
                    _(
                        "Only a determination opened by an application is suspended "
                        "(工伤保险条例 art. 20)."
                    )
                )
            if not case.date_filed or suspension.date_from < case.date_filed:
                raise ValidationError(_("A determination is suspended after its acceptance."))
            if suspension.date_to and suspension.date_to < suspension.date_from:
                raise ValidationError(_("A suspension is resumed on or after the day it began."))
            end = suspension.date_to or date.max
            if any(
                other.date_from <= end and (other.date_to or date.max) >= suspension.date_from
                for other in case.suspension_ids - suspension
            ):
                raise ValidationError(
                    _("%(case)s is suspended already: resume it first.", case=case.name)
                )

    def action_resume(self):
        """The awaited conclusion is in: the period runs again from today."""
        today = fields.Date.context_today(self)
        for suspension in self:
            if suspension.date_to:
                raise UserError(_("This suspension was resumed already."))
            suspension.write({"date_to": today})
            self.env["hr.enforcement.event"]._log(
                suspension.case_id,
                "suspension",
                suspension,
                _("Resumed on %(day)s", day=today),
            )
        return True
