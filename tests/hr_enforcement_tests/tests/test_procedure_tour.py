"""The penalty procedure in the Chinese web client, as the demo users (R15.1, R16.1)."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

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

    def _penalty_at_decision(self, subject, fine, received=None):
        """A penalty case of 李娜's at review & decision, walked there by its people."""
        demo = self.env["hr.enforcement.demo"]
        lina = self.env.ref("hr_enforcement_record.user_officer_li_demo")
        received = received or date.today() - timedelta(days=20)
        case = demo._as(self.env["hr.enforcement.case"], lina).create(
            {
                "subject": subject,
                "enforcement_type": "penalty",
                "origin": "ex_officio",
                "partner_id": self.env.ref("hr_enforcement_record.party_restaurant_demo").id,
                "department_id": self.env.ref("hr_enforcement_record.dept_inspection_demo").id,
                "handler_id": lina.employee_id.id,
                "reviewer_id": self.env.ref("hr_enforcement_record.employee_reviewer_wang_demo").id,
                "approver_id": self.env.ref("hr_enforcement_record.employee_approver_liu_demo").id,
                "date_received": received,
                "facts": "该单位2026年安排8名劳动者每月延长工作时间超过三十六小时。",
                "legal_basis": "《劳动保障监察条例》第二十五条",
                "penalty_kind": "fine",
                "fine_amount": fine,
                "decision_summary": f"拟对你单位罚款人民币{fine}元。",
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
                    "date": fields.Datetime.now() - timedelta(days=2),
                    "party_signed": True,
                    "officer_line_ids": [
                        (
                            0,
                            0,
                            {
                                "employee_id": c.employee_id.id,
                                "certificate_id": c.id,
                                "certificate_shown": True,
                            },
                        )
                        for c in (li, zhang)
                    ],
                }
            ],
        )
        return case

    def test_r9_1_officer_records_the_hearing_the_party_requested(self):
        """行政处罚法 第六十三至六十五条 in the web client: a fine of 60,000 yuan gives the
        party a hearing; it asked for one; the officer records it step by step; legal review
        is then required (第五十八条（二）), done by the legal-review staff, and the decision
        proposed."""
        demo = self.env["hr.enforcement.demo"]
        lina = self.env.ref("hr_enforcement_record.user_officer_li_demo")
        start = datetime.now() - timedelta(days=40)
        with freeze_time(start):
            case = self._penalty_at_decision("超时加班（听证）", 60000)
            notice = demo._as(self.env["hr.enforcement.penalty.notice"], lina).create(
                {"case_id": case.id, "reasons": "超时加班情节较重。"}
            )
            notice.action_issue_document()
            # the bureau's day (Asia/Shanghai), not the server's UTC one
            served = fields.Date.context_today(notice)
            notice.write({"date_served": served})
            self.assertTrue(notice.hearing_right)
            hearing = demo._as(self.env["hr.enforcement.hearing"], lina).create(
                {"notice_id": notice.id, "request_date": served + timedelta(days=1)}
            )
        av = demo._as(self.env["hr.enforcement.av.record"], lina).create(
            {
                "case_id": case.id,
                "name": "听证录像",
                "media_type": "video",
                "device_id": self.env.ref("hr_enforcement_record.av_device_bodycam_li_demo").id,
                "officer_id": lina.employee_id.id,
            }
        )
        Text = demo._as(self.env["hr.enforcement.text.record"], lina)
        certificates = case.investigation_ids.officer_line_ids.certificate_id
        transcript = Text.create(
            {
                "case_id": case.id,
                "name": "听证笔录",
                "document_type_id": self.env.ref("hr_enforcement_record.document_type_hearing").id,
                "certificate_ids": [(6, 0, certificates.ids)],
                "certificates_shown": True,
                "party_signed": True,
                "officers_signed": True,
                "av_record_ids": [(6, 0, av.ids)],
            }
        )
        demo._attach_scan(transcript, "hearing-transcript.pdf")
        report = Text.create(
            {
                "case_id": case.id,
                "name": "听证报告",
                "document_type_id": self.env.ref(
                    "hr_enforcement_record.document_type_hearing_report"
                ).id,
            }
        )
        demo._attach_scan(report, "hearing-report.pdf")
        self.start_tour("/odoo", "hr_enforcement_hearing_tour", login="lina")
        self.assertEqual(hearing.state, "reported")
        self.assertEqual(hearing.presiding_id.name, "王强")
        self.assertEqual((hearing.av_record_id, hearing.report_id), (av, report))
        self.assertTrue(case.hearing_held and case.legal_review_required)
        gaofeng = self.env.ref("hr_enforcement_record.user_legal_gao_demo")
        demo._as(self.env["hr.enforcement.deliberation"], gaofeng).create(
            {
                "case_id": case.id,
                "kind": "legal_review",
                "participant_ids": [(6, 0, gaofeng.employee_id.ids)],
                "opinion": "事实清楚，证据确凿，程序合法，适用依据正确。",
                "conclusion": "agree",
            }
        )
        demo._approve(case, "decision", "拟处罚款。", "同意。", "同意。")
        self.assertTrue(case.date_decided)

    def test_r16_1_officer_notifies_a_penalty_and_records_the_written_waiver(self):
        """The party's rights in the web client: the notice issued and served, the signed
        waiver recorded, and only then the decision proposed (行政处罚法 第44、62条)."""
        demo = self.env["hr.enforcement.demo"]
        lina = self.env.ref("hr_enforcement_record.user_officer_li_demo")
        case = self._penalty_at_decision("超时加班（书面放弃）", 4000)
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
        today = fields.Date.context_today(notice.with_user(notice.create_uid))  # lina's day
        self.assertEqual(notice.date_served, today)
        self.assertEqual(
            notice.statement_deadline,
            self.env["hr.enforcement.holiday"]._add_working_days(today, 3),
        )
        self.assertEqual(notice.waiver_record_id, waiver)
        self.assertIn("金普人社罚告字", notice.text_record_id.document_number)
        request = case.approval_ids.filtered(lambda r: r.kind == "decision")
        self.assertEqual(request.state, "submitted")
