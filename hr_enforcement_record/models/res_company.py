from odoo import fields, models


class ResCompany(models.Model):
    """What the bureau's documents name besides itself: where a party seeks remedies and
    where fines are paid (R13.1; 行政处罚法 第五十九条、第六十七条)."""

    _inherit = "res.company"

    enforcement_review_body = fields.Char(
        "Administrative Reconsideration Body",
        groups="base.group_user",
        help="The body that hears the party's application for reconsideration (行政复议法 "
        "2023 第二十四条: for a department of a local government, that government), named "
        "in the remedies of every decision.",
    )
    enforcement_court = fields.Char(
        "Competent People's Court",
        groups="base.group_user",
        help="The court where the party may sue (行政诉讼法 第十四条、第十八条: the basic "
        "people's court where the authority sits, or the one designated), named in the "
        "remedies of every decision.",
    )
    enforcement_fine_bank = fields.Char(
        "Bank Designated for Fines",
        groups="base.group_user",
        help="Where fines are paid (行政处罚法 第六十七条: 到指定的银行或者通过电子支付系统"
        "缴纳罚款), printed in the period and manner of performance of penalty decisions.",
    )
