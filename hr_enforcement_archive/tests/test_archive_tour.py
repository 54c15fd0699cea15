from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestArchiveTour(HttpCase):
    """An archivist archives the demo case whose enforcement has ended (R18.1)."""

    def test_r18_1_archivist_archives_a_demo_case(self):
        case = self.env.ref("hr_enforcement_record.case_annual_review_demo")
        self.assertEqual(case.stage, "archiving", "the demo brings this case to its end")
        action = self.env.ref("hr_enforcement_record.hr_enforcement_case_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{case.id}",
            "hr_enforcement_archive_case_tour",
            login="chenjing",
        )
        self.assertTrue(case.archived)
        self.assertEqual(case.stage, "closed")
        self.assertTrue(case.case_file_id.archive_number)
        self.assertTrue(case.case_file_id.last_check_id.passed)
