from odoo import api, models


class HrEnforcementDemo(models.AbstractModel):
    _inherit = "hr.enforcement.demo"

    @api.model
    def _walk_to_archiving(self, case_id):
        """Bring a demo case in its service stage to the end of enforcement, as its handler
        would, so that its case file can be organised and archived."""
        case = self.env["hr.enforcement.case"].browse(case_id)
        if case.stage != "service":
            return
        self._approve(
            case,
            "closing",
            "处罚决定已送达并执行完毕，拟结案。",
            "执行情况属实，同意结案。",
            "同意结案。",
        )
        case = self._as(case, case.handler_id.user_id)
        self._complete_requirements(case)
        case.action_to_archiving()

    @api.model
    def _confirm_retention_schedule(self, user_id):
        """The demo archivist confirms the shipped retention schedule, as a bureau's
        archivist does against its approved table before the first archiving (R18.3)."""
        rules = self.env["hr.enforcement.retention.rule"].search([("confirmed_on", "=", False)])
        rules.with_user(user_id).action_confirm()
