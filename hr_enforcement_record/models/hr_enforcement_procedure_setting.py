from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hr_enforcement_case import case_selection

DEFAULT_STATEMENT_WORKING_DAYS = 3


class HrEnforcementProcedureSetting(models.Model):
    """What the bureau sets per type of case for the party's rights (R16.1): the working
    days given to state and defend after the advance notice, and the "larger amount" of a
    fine (较大数额罚款) from which 行政处罚法 第六十三条 gives a hearing, as the province fixes
    it for persons and for organisations."""

    _name = "hr.enforcement.procedure.setting"
    _description = "Procedure Setting per Type of Case"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "enforcement_type"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    enforcement_type = fields.Selection(
        case_selection("enforcement_type"),
        required=True,
    )
    statement_days = fields.Integer(
        "Statement Period (working days)", required=True, default=DEFAULT_STATEMENT_WORKING_DAYS
    )
    hearing_fine_person = fields.Monetary(
        "Larger Fine for a Person", currency_field="currency_id", help="行政处罚法 art. 63 (1)"
    )
    hearing_fine_organisation = fields.Monetary(
        "Larger Fine for an Organisation",
        currency_field="currency_id",
        help="行政处罚法 art. 63 (1)",
    )

    _sql_constraints = [
        (
            "type_company_uniq",
            "unique(company_id, enforcement_type)",
            "One setting per type of case and company.",
        )
    ]

    def _compute_currency_id(self):
        self.currency_id = self.env.ref("base.CNY")  # fines under Chinese statutes, in yuan

    @api.constrains("statement_days")
    def _check_days(self):
        if any(setting.statement_days <= 0 for setting in self):
            raise ValidationError(_("The statement period is at least one working day."))

    @api.model
    def _for_case(self, case):
        return self.sudo().search(  # sudo: configuration read by every officer
            [
                ("enforcement_type", "=", case.enforcement_type),
                ("company_id", "in", (case.company_id or self.env.company).ids),
            ],
            limit=1,
        )

    @api.model
    def _statement_days(self, case):
        setting = self._for_case(case) if case else self.browse()
        return setting.statement_days or DEFAULT_STATEMENT_WORKING_DAYS

    @api.model
    def _hearing_fine_threshold(self, case):
        setting = self._for_case(case)
        if case.partner_id and not case.partner_id.is_company:
            return setting.hearing_fine_person
        return setting.hearing_fine_organisation
