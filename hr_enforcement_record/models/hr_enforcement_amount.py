from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hr_enforcement_guard import Freeze

# 第七十二条（一）: 3 % of the fine per day overdue, never more than the fine itself
FINE_SURCHARGE_RATE = 0.03
AMOUNT_CONTENT = frozenset({"case_id", "kind", "amount", "workers_count", "basis", "date_due"})


class HrEnforcementAmount(models.Model):
    """An amount a decision orders (R15.1): wages, the shortfall below the minimum wage or
    severance to pay the workers, the compensation added when they are not paid in time
    (劳动保障监察条例 第二十六条), or a fine (行政处罚法 第六十七、七十二条). Payments are
    recorded against it, in part or in full; a fine's payment period and daily surcharge
    are computed from the day the party received the decision."""

    _name = "hr.enforcement.amount"
    _description = "Amount Ordered"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_rule_ref = "R15.1"
    _order = "case_id, id"

    case_id = fields.Many2one("hr.enforcement.case", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    kind = fields.Selection(
        [
            ("wages", "Wages owed"),
            ("minimum_wage", "Shortfall below the minimum wage"),
            ("severance", "Severance pay"),
            ("compensation", "Compensation for late payment (50 % to 100 %)"),
            ("fine", "Fine"),
        ],
        required=True,
        tracking=True,
    )
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    workers_count = fields.Integer("Workers Concerned", tracking=True)
    basis = fields.Char("Legal Basis", tracking=True)
    date_received = fields.Date(
        "Decision Received On",
        tracking=True,
        help="The day the party received the decision; a fine's payment period runs from it.",
    )
    date_due = fields.Date(
        "Pay By",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        tracking=True,
        help="Fines: 15 days from receipt of the decision (行政处罚法 art. 67); other amounts: "
        "the time limit the decision sets.",
    )
    payment_ids = fields.One2many("hr.enforcement.payment", "amount_id", string="Payments")
    paid_amount = fields.Monetary(compute="_compute_paid", store=True, currency_field="currency_id")
    balance = fields.Monetary(compute="_compute_paid", store=True, currency_field="currency_id")
    state = fields.Selection(
        [("open", "Unpaid"), ("partly", "Partly paid"), ("paid", "Paid")],
        compute="_compute_paid",
        store=True,
    )
    surcharge = fields.Monetary(
        "Surcharge to Date",
        compute="_compute_surcharge",
        currency_field="currency_id",
        help="Fines overdue: 3 % of the unpaid fine per day, at most the fine "
        "(行政处罚法 art. 72 (1)).",
    )

    @api.depends("kind", "date_received")
    def _compute_date_due(self):
        calendar = self.env["hr.enforcement.holiday"]
        for line in self:
            if line.kind == "fine":
                line.date_due = calendar._period_end("fine_payment", line.date_received)

    @api.depends("amount", "payment_ids.amount")
    def _compute_paid(self):
        for line in self:
            line.paid_amount = sum(line.payment_ids.mapped("amount"))
            line.balance = line.amount - line.paid_amount
            if line.paid_amount <= 0:
                line.state = "open"
            elif line.currency_id.compare_amounts(line.balance, 0) <= 0:
                line.state = "paid"
            else:
                line.state = "partly"

    @api.depends_context("date")
    @api.depends("kind", "amount", "date_due", "payment_ids.amount", "payment_ids.date")
    def _compute_surcharge(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.surcharge = line._surcharge_on(today)

    def _surcharge_on(self, day):
        """Day by day after the due date, 3 % of what was still unpaid that day."""
        self.ensure_one()
        if self.kind != "fine" or not self.date_due or day <= self.date_due:
            return 0.0
        payments = sorted((p.date, p.amount) for p in self.payment_ids)
        total, unpaid = 0.0, self.amount
        current = self.date_due
        while current < day and unpaid > 0 and total < self.amount:
            current = fields.Date.add(current, days=1)
            unpaid = self.amount - sum(a for d, a in payments if d < current)
            total += max(unpaid, 0) * FINE_SURCHARGE_RATE
        return self.currency_id.round(min(total, self.amount))

    @api.constrains("amount", "workers_count", "kind")
    def _check_amount(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount, 0) <= 0:
                raise ValidationError(_("An amount ordered is more than zero."))
            if line.kind != "fine" and line.workers_count <= 0:
                raise ValidationError(
                    _("Name how many workers the amount is owed to (劳动保障监察条例 art. 26).")
                )

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.case_id.stage not in ("initiation", "investigation", "decision"):
            freezes.append(
                Freeze(
                    self.env._("the decision is made; the amounts it ordered do not change"),
                    only=AMOUNT_CONTENT,
                    inherit=False,
                )
            )
        return freezes

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if any(line.case_id.date_decided for line in lines):
            raise ValidationError(
                _("The decision is made; an amount it did not order cannot be added (R15.1).")
            )
        return lines

    @api.depends("kind", "amount")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            line.display_name = f"{kinds.get(line.kind, '')} {line.amount:,.2f}"
