"""The penalty procedure in the Chinese web client, as the demo users (R15.1, R16.1)."""

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
