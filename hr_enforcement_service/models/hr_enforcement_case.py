from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HrEnforcementCase(models.Model):
    _inherit = "hr.enforcement.case"

    service_ids = fields.One2many("hr.enforcement.service", "case_id", string="Services")
    service_count = fields.Integer(compute="_compute_service_counts")
    execution_step_count = fields.Integer(compute="_compute_service_counts")

    @api.depends("service_ids")
    def _compute_service_counts(self):
        services = dict(
            self.env["hr.enforcement.service"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        steps = dict(
            self.env["hr.enforcement.execution.step"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.service_count = services.get(case, 0)
            case.execution_step_count = steps.get(case, 0)

    def _get_decision_served_on(self):
        """The day the decision was first served on the party: the party's reconsideration
        and litigation periods run from it."""
        self.ensure_one()
        served = self.sudo().service_ids.filtered(  # sudo: a date of the case's own services
            lambda s: s.state == "served" and s.document_id.document_type_id.is_decision
        )
        return min(served.mapped("service_date")) if served else False

    def action_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_enforcement_service.hr_enforcement_service_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action

    def action_print_service_receipts(self):
        """Print the receipts of the case's services whose signed receipt is not back."""
        self.ensure_one()
        services = self.service_ids.filtered(lambda s: not s.returned and s.state != "failed")
        if not services:
            raise UserError(_("This case has no service whose receipt is still to come back."))
        return services.action_print_receipts()
