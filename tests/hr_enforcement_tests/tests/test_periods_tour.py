"""Licensing, confirmation and cancellation in the Chinese web client, as the demo users
(R6.1, R21.1; 行政许可法 第三十二条, 工伤保险条例 第二十条)."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import DemoUserTourCase


@tagged("post_install", "-at_install")
class TestPeriodsTours(DemoUserTourCase):
    def _ref(self, xmlid):
        return self.env.ref(f"hr_enforcement_record.{xmlid}")

    def _application(self, matter, received_at, login="sunlei"):
        demo = self.env["hr.enforcement.demo"]
        user = self.env["res.users"].search([("login", "=", login)])
        return demo._as(self.env["hr.enforcement.application"], user).create(
            {
                "applicant_id": self._ref("party_dispatch_demo").id,
                "matter_id": self._ref(matter).id,
                "officer_id": user.employee_id.id,
                "department_id": user.employee_id.department_id.id,
                "reviewer_id": self._ref("employee_reviewer_wang_demo").id,
                "approver_id": self._ref("employee_approver_liu_demo").id,
                "received_at": received_at,
            }
        )

    def test_r6_1_licence_accepted_by_law_when_no_supplement_was_asked_in_time(self):
        # received three weeks ago, two materials in, nobody asked for the rest
        application = self._application(
            "matter_labour_dispatch", datetime.now() - timedelta(days=21)
        )
        application.material_ids[:2].write({"received": True})
        self.start_tour("/odoo", "hr_enforcement_licence_deemed_accepted_tour", login="sunlei")
        self.assertEqual(application.state, "accepted")
        self.assertTrue(application.deemed_accepted)
        # the day of receipt in the bureau's time zone (Asia/Shanghai), not in UTC
        received = fields.Date.context_today(application, application.received_at)
        self.assertEqual(application.accepted_on, received)
        self.assertEqual(application.case_id.date_filed, application.accepted_on)

    def _without_counter_clip(self, case):
        """The counter recording is kept by the hall's system: excused, with its reason."""
        demo = self.env["hr.enforcement.demo"]
        line = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_ref", "=", "R6.2")]
        )
        demo._as(self.env["hr.enforcement.requirement.excuse"], case.handler_id.user_id).create(
            {
                "case_id": case.id,
                "requirement_id": line.requirement_id.id,
                "reason": "受理窗口录像由大厅监控系统保存，另行调取。",
            }
        )

    def _review_step(self):
        """The on-site review of the applicant's premises by two certified officers."""
        return {
            "name": "申请人经营场所实地核查",
            "step_type": "inspection",
            "location": "金普新区某劳务派遣公司",
            "date": datetime.now() - timedelta(hours=1),
            "party_signed": True,
            "persons_present": "申请人法定代表人",
            "officer_line_ids": [
                (
                    0,
                    0,
                    {
                        "employee_id": self._ref(f"employee_officer_{who}_demo").id,
                        "certificate_id": self._ref(f"certificate_officer_{who}_demo").id,
                        "certificate_shown": True,
                    },
                )
                for who in ("sun", "zhang")
            ],
        }

    def _licensing_case_refused(self):
        demo = self.env["hr.enforcement.demo"]
        application = self._application(
            "matter_labour_dispatch", datetime.now() - timedelta(hours=2)
        )
        application.material_ids.write({"received": True})
        application.action_accept()
        case = application.case_id
        as_handler = demo._as(case, case.handler_id.user_id)
        as_handler.write({"subject": "劳务派遣经营许可（不予许可）"})
        self._without_counter_clip(case)
        demo._walk(case.id, "decision", [self._review_step()])
        as_handler.write(
            {
                "decision_kind": "licence_refusal",
                "decision_summary": "经审查，申请人注册资本不足人民币二百万元，不符合"
                "《劳动合同法》第五十七条规定的条件，决定不予行政许可。",
            }
        )
        demo._approve(case, "decision", "拟不予许可。", "理由充分。", "同意。")
        return case

    def test_r6_1_licence_refused_with_its_decision_document(self):
        case = self._licensing_case_refused()
        self.start_tour("/odoo", "hr_enforcement_licence_refused_tour", login="sunlei")
        kind = self._ref("document_type_licence_refusal")
        record = self.env["hr.enforcement.text.record"].search(
            [("case_id", "=", case.id), ("document_type_id", "=", kind.id)]
        )
        self.assertTrue(record.sealed and record.document_number.startswith("金普人社许不准字"))

    def test_r6_1_work_injury_determination_suspended_and_resumed(self):
        application = self._application("matter_work_injury", datetime.now() - timedelta(hours=2))
        application.material_ids.write({"received": True})
        application.action_accept()
        case = application.case_id
        demo = self.env["hr.enforcement.demo"]
        as_handler = demo._as(case, case.handler_id.user_id)
        self._without_counter_clip(case)
        as_handler.action_start_investigation()
        before = application.decision_deadline
        self.start_tour("/odoo", "hr_enforcement_injury_suspended_tour", login="sunlei")
        suspension = case.suspension_ids
        self.assertEqual(len(suspension), 1)
        self.assertTrue(suspension.date_to, "resumed")
        self.assertFalse(case.suspended)
        self.assertEqual(
            application.decision_deadline, before, "suspended and resumed the same day"
        )

    def test_r21_1_case_cancelled_through_the_approval_chain(self):
        demo = self.env["hr.enforcement.demo"]
        zhang = self.env["res.users"].search([("login", "=", "zhangwei")])
        case = demo._as(self.env["hr.enforcement.case"], zhang).create(
            {
                "subject": "重复立案的加班案件",
                "enforcement_type": "penalty",
                "origin": "ex_officio",
                "partner_id": self._ref("party_restaurant_demo").id,
                "department_id": self._ref("dept_inspection_demo").id,
                "handler_id": zhang.employee_id.id,
                "reviewer_id": self._ref("employee_reviewer_wang_demo").id,
                "approver_id": self._ref("employee_approver_liu_demo").id,
                "facts": "该单位安排劳动者延长工作时间超过法定上限。",
            }
        )
        demo._approve(case, "case_opening", "拟立案。", "同意。", "同意立案。")
        demo._as(case, zhang).action_start_investigation()
        self.start_tour("/odoo", "hr_enforcement_cancellation_request_tour", login="zhangwei")
        request = case.approval_ids.filtered(lambda r: r.kind == "cancellation")
        self.assertEqual(request.state, "submitted")
        self._reviewed_and_approved_in_tours(request)
        self.assertEqual(case.stage, "cancelled")
