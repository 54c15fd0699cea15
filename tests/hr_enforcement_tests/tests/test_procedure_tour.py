"""The penalty procedure in the Chinese web client, as the demo users (R15.1, R16.1)."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import DemoUserTourCase


@tagged("post_install", "-at_install")
class TestProcedureTours(DemoUserTourCase):
    def _decide_wage_arrears(self):
        """The demo's wage arrears complaint, decided as its people would: the inspection
        records made, the advance notice served and waived in writing, the handling decision
        approved, the case at service."""
        case = self.env.ref("hr_enforcement_record.case_wage_arrears_demo")
        demo = self.env["hr.enforcement.demo"]
        as_handler = demo._as(case, case.handler_id.user_id)
        demo._complete_requirements(as_handler)
        as_handler.action_to_decision()
        as_handler.write(
            {
                "decision_summary": "责令你单位于收到本决定书之日起十五日内支付15名劳动者"
                "2026年7月至9月工资共计人民币贰拾捌万元整。"
            }
        )
        demo._notify_and_waive(
            case.id,
            {
                "proposed_decision": "拟责令你单位于收到决定书之日起十五日内支付15名劳动者工资共计"
                "人民币贰拾捌万元整。",
                "reasons": "你单位无故拖欠劳动者2026年7月至9月工资，事实清楚。",
            },
        )
        demo._approve(case, "decision", "拟作出行政处理决定。", "事实清楚，证据充分。", "同意。")
        demo._complete_requirements(as_handler)
        as_handler.action_to_service()
        return case

    def test_r15_1_officer_records_a_handling_decision_paid_in_part_then_in_full(self):
        case = self._decide_wage_arrears()
        self.assertEqual((case.name, case.decision_kind), ("ZF2026-00001", "treatment"))
        notice = case.notice_ids
        self.assertTrue(notice.waived and notice.text_record_id.document_number)
        self.assertIn("金普人社处告字", notice.text_record_id.document_number)
        self.start_tour("/odoo", "hr_enforcement_treatment_payment_tour", login="zhangwei")
        wages = case.amount_ids
        self.assertEqual(wages.state, "paid")
        self.assertEqual(wages.payment_ids.mapped("amount"), [100000, 180000])
        self.assertEqual((case.wages_paid, case.workers_covered), (280000, 15))
        events = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "payment")]
        )
        self.assertEqual(len(events), 2, "each payment is in the case's log")

    def test_r16_1_officer_notifies_a_penalty_and_records_the_written_waiver(self):
        """The party's rights in the web client: the notice issued and served, the signed
        waiver recorded, and only then the decision proposed (行政处罚法 第44、62条)."""
        demo = self.env["hr.enforcement.demo"]
        lina = self.env.ref("hr_enforcement_record.user_officer_li_demo")
        received = date.today() - timedelta(days=20)
        case = demo._as(self.env["hr.enforcement.case"], lina).create(
            {
                "subject": "超时加班（书面放弃）",
                "enforcement_type": "penalty",
                "origin": "ex_officio",
                "partner_id": self.env.ref("hr_enforcement_record.party_restaurant_demo").id,
                "department_id": self.env.ref("hr_enforcement_record.dept_inspection_demo").id,
                "handler_id": lina.employee_id.id,
                "reviewer_id": self.env.ref("hr_enforcement_record.employee_reviewer_wang_demo").id,
                "approver_id": self.env.ref("hr_enforcement_record.employee_approver_liu_demo").id,
                "date_received": received,
                "facts": "该单位2026年11月安排8名劳动者每月延长工作时间超过三十六小时。",
                "legal_basis": "《劳动保障监察条例》第二十五条",
                "penalty_kind": "fine",
                "fine_amount": 4000,
                "decision_summary": "拟对你单位罚款人民币肆仟元整。",
            }
        )
        zhang = self.env.ref("hr_enforcement_record.certificate_officer_zhang_demo")
        li = self.env.ref("hr_enforcement_record.certificate_officer_li_demo")
        demo._walk(
            case.id,
            "decision",
            [
                {
                    "name": "现场检查考勤记录",
                    "step_type": "inspection",
                    "location": "金普新区某门店",
                    "date": fields.Datetime.now() - timedelta(days=10),
                    "party_signed": True,
                    "officer_line_ids": [
                        (0, 0, {"employee_id": c.employee_id.id, "certificate_id": c.id,
                                "certificate_shown": True})
                        for c in (li, zhang)
                    ],
                }
            ],
        )
        self.assertEqual(case.stage, "decision")
        waiver = demo._as(self.env["hr.enforcement.text.record"], lina).create(
            {
                "case_id": case.id,
                "name": "放弃陈述、申辩权利声明书",
                "document_type_id": self.env.ref(
                    "hr_enforcement_record.document_type_rights_waiver"
                ).id,
                "party_signed": True,
            }
        )
        demo._attach_scan(waiver, "waiver.pdf")  # the party's signed paper, scanned
        self.start_tour("/odoo", "hr_enforcement_penalty_waiver_tour", login="lina")
        notice = case.notice_ids
        self.assertTrue(notice.waived)
        self.assertEqual(notice.date_served, date.today())
        self.assertEqual(
            notice.statement_deadline,
            self.env["hr.enforcement.holiday"]._add_working_days(date.today(), 3),
        )
        self.assertEqual(notice.waiver_record_id, waiver)
        self.assertIn("金普人社罚告字", notice.text_record_id.document_number)
        request = case.approval_ids.filtered(lambda r: r.kind == "decision")
        self.assertEqual(request.state, "submitted")
