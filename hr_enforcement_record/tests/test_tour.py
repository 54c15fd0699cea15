from odoo.tests import HttpCase, tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestCaseTour(HttpCase, EnforcementCase):
    """R3.1, R21.1 through the UI: an officer opens a case, asks approval, starts investigation."""

    def test_r3_1_case_created_in_ui_and_moved_to_investigation(self):
        self.start_tour("/odoo", "hr_enforcement_case_create_tour", login="officer1")
        case = self.env["hr.enforcement.case"].search([("subject", "=", "Tour: unpaid overtime")])
        self.assertEqual(case.stage, "initiation")
        request = case.approval_ids
        self.assertEqual(request.state, "submitted", "the tour submitted the opening request")
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Fine")
        request.with_user(self.approver)._transition("approved", approval_opinion="Agreed")
        self.start_tour("/odoo", "hr_enforcement_case_investigate_tour", login="officer1")
        self.assertEqual(case.stage, "investigation")
