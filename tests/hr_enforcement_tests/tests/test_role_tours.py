"""A day's work in the Chinese web client: one browser tour per role, each starting
where its user lands and going on by clicking (R3.1, R18.1, R21.1, R22.5)."""

from odoo.tests import tagged

from .common import DemoUserTourCase, demo_user_groups


@tagged("post_install", "-at_install")
class TestRoleTours(DemoUserTourCase):
    def test_tour_users_are_the_demo_users_with_their_demo_groups_only(self):
        """The check every tour runs can fail: a demo user given one more group is refused."""
        logins = set(demo_user_groups())
        self.assertTrue(
            {"zhangwei", "lina", "sunlei", "wangqiang", "liuyang", "chenjing", "zhaomin"} <= logins
        )
        for login in logins:
            self.assert_demo_groups(login)
        officer = self.env["res.users"].search([("login", "=", "zhangwei")])
        officer.groups_id |= self.env.ref("hr.group_hr_user")
        with self.assertRaisesRegex(AssertionError, "groups its demo user lacks"):
            self.assert_demo_groups("zhangwei")

    def _case(self, xmlid):
        return self.env.ref(f"hr_enforcement_record.{xmlid}")

    def test_r21_1_officer_records_and_asks_reviewer_and_approver_decide_from_activities(self):
        case = self._case("case_wage_arrears_demo")
        self.start_tour("/odoo", "hr_enforcement_officer_day_tour", login="zhangwei")
        text = self.env["hr.enforcement.text.record"].search(
            [("name", "=", "询问建筑公司财务负责人")]
        )
        clip = self.env["hr.enforcement.av.record"].search([("name", "=", "工地现场询问录像")])
        self.assertEqual((text.case_id, clip.case_id), (case, case), "made from the case")
        # R8.1: an officer without HR rights names two certified colleagues on a step
        step = self.env["hr.enforcement.investigation"].search([("name", "=", "工地现场检查")])
        self.assertEqual(step.case_id, case)
        self.assertEqual(
            set(step.officer_line_ids.mapped("certificate_id.employee_id.name")), {"张伟", "孙磊"}
        )
        self.assertEqual(clip.officer_id.user_id.login, "zhangwei")
        request = case.approval_ids.filtered(lambda r: r.kind == "investigation_extension")
        self.assertEqual(request.state, "submitted")
        self._reviewed_and_approved_in_tours(request)
        self.assertFalse(request.activity_ids, "nobody has anything left to do")

    def test_r14_1_officer_prints_again_and_reprints_explicitly(self):
        """Printing again (or refreshing the PDF) keeps the paper already handed over valid;
        a reprint is an explicit, confirmed action after which the old paper is refused."""
        service = self.env["hr.enforcement.service"].search(
            [("case_id", "=", self._case("case_annual_review_demo").id), ("method", "=", "postal")]
        )
        printed = service.receipt_code
        self.start_tour("/odoo", "hr_enforcement_officer_print_tour", login="zhangwei")
        self.env.invalidate_all()
        self.assertEqual(service.receipt_code, printed, "printing again issues nothing new")
        self.authenticate("zhangwei", "zhangwei")
        for _refresh in range(2):
            url = f"/report/pdf/hr_enforcement_service.report_service_receipts/{service.id}"
            self.assertEqual(self.url_open(url).status_code, 200)
        self.assertEqual(service._scan_receipt(printed)[1], "valid")
        self.start_tour("/odoo", "hr_enforcement_officer_reprint_tour", login="zhangwei")
        self.env.invalidate_all()
        self.assertEqual(service.receipt_version, 2)
        self.assertEqual(service._scan_receipt(printed)[1], "revoked")

    def test_r18_1_archivist_archives_from_her_list(self):
        case = self._case("case_annual_review_demo")
        self.assertEqual(case.stage, "archiving", "the demo brings this case to its end")
        self.start_tour("/odoo", "hr_enforcement_archivist_day_tour", login="chenjing")
        self.assertTrue(case.archived)
        self.assertEqual(case.stage, "closed")
        self.assertTrue(case.case_file_id.archive_number)
        self.assertTrue(case.case_file_id.last_check_id.passed)
        transfer = case.case_file_id.transfer_ids
        self.assertEqual(transfer.receiving_archive, "区档案馆", "handed over from her form")
        self.assertEqual(transfer.user_id.login, "chenjing")
        self.assertEqual(len(transfer.package_sha256), 64)

    def test_r22_5_supervisor_reads_violations_and_orders_rectification(self):
        case = self._case("case_wage_arrears_demo")
        violation = (
            self.env["hr.enforcement.violation"]
            .sudo()
            ._app()
            .create(
                {
                    "kind": "av_late",
                    "requirement_ref": "R18.2",
                    "case_id": case.id,
                    "department_id": case.department_id.id,
                    "detail": "工地现场录像",
                }
            )
        )
        self.start_tour("/odoo", "hr_enforcement_supervisor_day_tour", login="zhaomin")
        self.assertEqual(violation.state, "rectifying")
        self.assertIn("限期十五日内补录音像记录", violation.rectification_order)
