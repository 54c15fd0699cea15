from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrEnforcementPayment(models.Model):
    """A payment of an amount ordered, in part or in full (R15.1). Fines are paid at the
    designated bank, never to the bureau (罚缴分离, 行政处罚法 第六十七条): the bank's receipt
    number is recorded; wages are paid to the workers, with the proof of payment."""

    _name = "hr.enforcement.payment"
    _description = "Payment"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("amount_id",)
    _guard_immutable_fields = frozenset({"amount_id"})
    _guard_open_stages = ("service",)
    _guard_event_on_create = "payment"
    _guard_rule_ref = "R15.1"
    _order = "date, id"

    amount_id = fields.Many2one(
        "hr.enforcement.amount", "Amount Ordered", required=True, ondelete="restrict", index=True
    )
    case_id = fields.Many2one(related="amount_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="amount_id.company_id", store=True)
    currency_id = fields.Many2one(related="amount_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    receipt_number = fields.Char(
        "Bank Receipt or Proof No.",
        required=True,
        tracking=True,
        help="Fines: the designated bank's receipt (行政处罚法 art. 67).",
    )
    payer = fields.Char(tracking=True)
    note = fields.Text()

    def _guard_event_texts(self):
        paid = f"{self.amount:,.2f}"
        return (
            _(
                "%(what)s: %(amount)s paid on %(date)s",
                what=self.amount_id.display_name,
                amount=paid,
                date=self.date,
            ),
            self.receipt_number,
        )

    @api.constrains("amount", "date", "amount_id")
    def _check_payment(self):
        today = fields.Date.context_today(self)
        for payment in self:
            line = payment.amount_id
            if payment.currency_id.compare_amounts(payment.amount, 0) <= 0:
                raise ValidationError(_("A payment is more than zero."))
            if payment.currency_id.compare_amounts(line.paid_amount, line.amount) > 0:
                raise ValidationError(
                    _(
                        "%(what)s: the payments exceed the amount ordered.",
                        what=line.display_name,
                    )
                )
            if payment.date > today or payment.date < payment.case_id.date_received:
                raise ValidationError(_("A payment is dated between the case's receipt and today."))
