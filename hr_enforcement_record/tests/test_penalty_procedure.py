"""The penalty procedure a court checks (行政处罚法 2021, 劳动保障监察条例): the advance notice
with the party's rights and periods, statements re-examined, the hearing, the legal-review
and collective-discussion gates, amounts ordered and paid."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_evidence import PDF, EvidenceCase


@tagged("post_install", "-at_install")
class TestPenaltyProcedure(EvidenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.received = cls.today - timedelta(days=60)
        types = cls.env["hr.enforcement.document.type"]
        cls.doc_waiver = types.search([("code", "=", "rights_waiver")])
        cls.doc_hearing = types.search([("code", "=", "hearing")])
        cls.doc_report = types.search([("code", "=", "hearing_report")])

    # ------------------------------------------------------------------ helpers
    def _deciding(self, **overrides):
        """A penalty case at review & decision, received 60 days ago."""
        case = self._open_case(date_received=self.received, **overrides)
        self._add_step(case, date=fields.Datetime.now() - timedelta(days=30))
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "A fine.", "penalty_kind": "fine", "fine_amount": 3000})
        return case

    def _notice(self, case, **overrides):
        values = {
            "case_id": case.id,
            "penalty_kind": case.penalty_kind,
            "fine_amount": case.fine_amount,
            "proposed_decision": "A fine of 3,000 yuan.",
            "facts": "Overtime beyond the legal limit.",
            "reasons": "Twelve workers concerned.",
            "legal_basis": "劳动保障监察条例 第二十五条",
        }
        values.update(overrides)
        return self.env["hr.enforcement.penalty.notice"].with_user(self.officer).create(values)

    def _serve(self, notice):
        self._evidence_of(notice.case_id)
        notice.action_issue_document()
        notice.with_user(self.officer).write({"date_served": self.today})

    def _later(self, days=30):
        """Some weeks on, when the party's periods have run out."""
        return freeze_time(self.today + timedelta(days=days))

    def _request(self, case, user=None):
        return (
            self.env["hr.enforcement.approval"]
            .with_user(user or self.officer)
            .create(
                {
                    "res_model": case._name,
                    "res_id": case.id,
                    "kind": "decision",
                    "proposal": "Impose the notified penalty.",
                    "reviewer_id": self.reviewer.id,
                    "approver_id": self.approver.id,
                }
            )
        )

    # ------------------------------------------------------------------ notice
    def test_r16_1_no_decision_before_the_notice_is_served_and_its_periods_run_out(self):
        """行政处罚法 第四十四、六十二条: the decision is proposed only once the party was told
        the proposed penalty with its rights, and the statement period (working days, as
        第八十五条 counts "三日") has run out."""
        case = self._deciding()
        with self.assertRaisesRegex(UserError, "advance notice"):
            self._request(case)
        notice = self._notice(case)
        with self.assertRaisesRegex(UserError, "Issue the notice document"):
            notice.with_user(self.officer).write({"date_served": self.today})
        self._serve(notice)
        self.assertEqual(notice.text_record_id.document_type_id.code, "penalty_notice")
        self.assertTrue(notice.text_record_id.document_number.startswith("金普人社罚告字"))
        calendar = self.env["hr.enforcement.holiday"]
        self.assertEqual(notice.statement_deadline, calendar._add_working_days(self.today, 3))
        self.assertFalse(notice.hearing_right, "3,000 yuan is no larger fine of art. 63")
        with self.assertRaisesRegex(UserError, "period to state"):
            self._request(case)
        # what the notice told the party never changes once served
        with self.assertRaisesRegex(UserError, "served"):
            notice.with_user(self.officer).write({"fine_amount": 10})
        with self.assertRaisesRegex(UserError, "served"):
            notice.with_user(self.manager).write({"proposed_decision": "Something else"})
        served = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "notice"), ("res_id", "=", notice.id)]
        )
        self.assertTrue(
            any("served on" in text for text in served.mapped("description")),
            "the service is in the case's log",
        )
        with self._later():
            self.assertEqual(self._approve(case, "decision").state, "approved")

    def test_r16_1_statements_reexamined_and_no_heavier_penalty_for_defending(self):
        """行政处罚法 第四十五条: statements are re-examined before the decision, and the party
        is not punished more heavily for defending itself."""
        case = self._deciding()
        notice = self._notice(case)
        served = self.today
        self._serve(notice)
        Statement = self.env["hr.enforcement.statement"].with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "before the notice"):
            Statement.create(
                {"notice_id": notice.id, "date": served - timedelta(days=1), "content": "x"}
            )
        statement = Statement.create(
            {"notice_id": notice.id, "date": served, "content": "The overtime was voluntary."}
        )
        with self.assertRaisesRegex(UserError, "Re-examine"):
            self._request(case)
        with self.assertRaisesRegex(ValidationError, "re-examination"):
            statement.write({"adopted": "rejected"})
        statement.write(
            {"reexamination": "Time sheets show it was ordered.", "adopted": "rejected"}
        )
        case.with_user(self.officer).write({"fine_amount": 6000})
        with self.assertRaisesRegex(UserError, "heavier"):
            self._request(case)
        case.with_user(self.officer).write({"fine_amount": 3000})
        with self._later():
            request = self._approve(case, "decision")
        self.assertEqual(request.state, "approved")
        log = self.env["hr.enforcement.event"].search([("case_id", "=", case.id)])
        self.assertIn("statement", log.mapped("event_type"))
        self.assertIn("notice", log.mapped("event_type"))

    def test_r16_1_written_waiver_ends_the_periods(self):
        """行政处罚法 第六十二条: a party that waives its rights in writing is decided on at once;
        the waiver is a signed document of the case, never a tick."""
        case = self._deciding()
        notice = self._notice(case)
        self._serve(notice)
        waiver = self._text(case, self.doc_waiver, name="放弃陈述申辩权利书", certificate_ids=[])
        notice.with_user(self.officer).write({"waiver_record_id": waiver.id})
        with self.assertRaisesRegex(UserError, "signed written waiver"):
            notice.with_user(self.officer).action_record_waiver()
        self._upload(waiver, PDF, "waiver.pdf")
        with self.assertRaisesRegex(UserError, "application"):
            notice.with_user(self.manager).write({"waived": True})
        notice.with_user(self.officer).action_record_waiver()
        self.assertTrue(notice.waived)
        self.assertEqual(self._approve(case, "decision").state, "approved")

    def test_r16_1_gate_refuses_every_role_and_holds_at_the_approvers_step(self):
        """Whoever proposes — officer, reviewer, approver, manager, administrator — the gate
        refuses; a statement that arrives while the request waits stops the approver."""
        case = self._deciding()
        for user in (self.officer, self.officer2, self.manager):
            with self.assertRaisesRegex(UserError, "advance notice"):
                self._request(case, user)
        with self.assertRaisesRegex(UserError, "advance notice"):
            self._request(case, self.env.ref("base.user_admin"))
        notice = self._notice(case)
        self._serve(notice)
        with self._later():
            request = self._request(case)
            request.action_submit()
            request.with_user(self.reviewer)._transition("reviewed", review_opinion="Lawful.")
            self.env["hr.enforcement.statement"].with_user(self.officer).create(
                {"notice_id": notice.id, "date": self.today, "content": "Late defence."}
            )
            with self.assertRaisesRegex(UserError, "Re-examine"):
                request.with_user(self.approver)._transition("approved", approval_opinion="Yes.")
        self.assertEqual(request.state, "reviewed")

    # ------------------------------------------------------------------ hearing
    def test_r9_1_hearing_requested_in_time_notified_held_and_reported(self):
        """行政处罚法 第六十三至六十五条: a larger fine gives a hearing, requested within five
        working days (across a public holiday), notified seven working days before, presided
        by someone who did not investigate, AV-recorded, its transcript signed, its report
        written; the decision waits for the report, then for the legal review that a
        hearing calls for (第五十八条（二）)."""
        case = self._deciding()
        case.write({"fine_amount": 60000})
        notice = self._notice(case, fine_amount=60000, proposed_decision="A fine of 60,000.")
        self.assertTrue(notice.hearing_right)
        served = self.today
        self.env["hr.enforcement.holiday"].create(
            {
                "name": "Test holiday",
                "kind": "holiday",
                "notice": "国办发明电〔2026〕1号",
                "date_from": served + timedelta(days=1),
                "date_to": served + timedelta(days=3),
            }
        )
        self._serve(notice)
        calendar = self.env["hr.enforcement.holiday"]
        self.assertEqual(notice.hearing_deadline, calendar._add_working_days(served, 5))
        self.assertGreater(notice.hearing_deadline, served + timedelta(days=7))
        Hearing = self.env["hr.enforcement.hearing"].with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "within 5 working days"):
            Hearing.create(
                {
                    "notice_id": notice.id,
                    "request_date": notice.hearing_deadline + timedelta(days=1),
                }
            )
        hearing = Hearing.create({"notice_id": notice.id, "request_date": served})
        with self.assertRaisesRegex(ValidationError, "investigated"):
            hearing.write({"presiding_id": self.officer2.employee_id.id})
        held_on = fields.Datetime.now() + timedelta(days=14)
        hearing.write(
            {
                "presiding_id": self.approver.employee_id.id,
                "recorder_id": self.reviewer.employee_id.id,
                "venue": "Hearing room",
                "hearing_datetime": held_on,
                "hearing_notice_date": held_on.date() - timedelta(days=2),
            }
        )
        with self.assertRaisesRegex(UserError, "seven working days"):
            hearing.action_notify()
        hearing.write({"hearing_notice_date": served + timedelta(days=1)})
        hearing.action_notify()
        transcript = self._text(case, self.doc_hearing, name="听证笔录", av_exemption_reason="-")
        hearing.write({"transcript_id": transcript.id})
        with self.assertRaisesRegex(UserError, "recorded afterwards"):
            hearing.action_held()
        later = self._later(20)
        later.start()
        self.addCleanup(later.stop)
        with self.assertRaisesRegex(UserError, "AV-recorded"):
            hearing.action_held()
        hearing.write({"av_record_id": self._av(case).id})
        with self.assertRaisesRegex(UserError, "signed"):
            hearing.action_held()
        transcript.write({"officers_signed": True})
        hearing.action_held()
        self.assertTrue(case.hearing_held)
        self.assertTrue(case.legal_review_required, "a hearing calls for legal review")
        with self.assertRaisesRegex(UserError, "hearing report"):
            self._request(case)
        report = self._text(case, self.doc_report, name="听证报告", certificate_ids=[])
        hearing.write({"report_id": report.id})
        hearing.action_report()
        with self.assertRaisesRegex(UserError, "Legal review"):
            self._request(case)
        status = {
            line.requirement_id.deliberation_kind or line.requirement_id.document_type_id.code: (
                line.status
            )
            for line in self.env["hr.enforcement.case.requirement"].search(
                [("case_id", "=", case.id)]
            )
        }
        self.assertEqual(status["hearing"], "present")
        self.assertEqual(status["hearing_report"], "present")
        self.assertEqual(status["penalty_notice"], "present")
        self.assertEqual(status["legal_review"], "missing")
        self._legal_review(case)
        self.assertEqual(self._approve(case, "decision").state, "approved")

    def _legal_review(self, case, **overrides):
        values = {
            "case_id": case.id,
            "kind": "legal_review",
            "participant_ids": [(6, 0, self.legal.employee_id.ids)],
            "opinion": "Facts clear, basis correct, procedure lawful.",
            "conclusion": "agree",
        }
        values.update(overrides)
        return self.env["hr.enforcement.deliberation"].with_user(self.legal).create(values)

    # ------------------------------------------------------------------ gates
    def test_r13_2_legal_review_by_its_staff_not_by_the_handling_unit(self):
        """行政处罚法 第五十八条: the legal review opinion is written by the legal-review staff;
        the case's own handler or reviewer (承办机构审核人) cannot write it, and a review that
        did not pass keeps the decision closed."""
        case = self._deciding(complex_case=True)
        self.assertTrue(case.legal_review_required and case.collective_required)
        Deliberation = self.env["hr.enforcement.deliberation"]
        values = {
            "case_id": case.id,
            "kind": "legal_review",
            "participant_ids": [(6, 0, self.reviewer.employee_id.ids)],
            "opinion": "Fine.",
            "conclusion": "agree",
        }
        with self.assertRaisesRegex(ValidationError, "legal-review staff"):
            Deliberation.with_user(self.reviewer).create(values)
        self.legal.groups_id |= self.env.ref(
            "hr_enforcement_record.hr_enforcement_record_group_reviewer"
        )
        case.with_user(self.manager).write({"reviewer_id": self.legal.employee_id.id})
        with self.assertRaisesRegex(ValidationError, "handles or reviews"):
            self._legal_review(case)
        case.with_user(self.manager).write({"reviewer_id": self.reviewer.employee_id.id})
        with self.assertRaisesRegex(ValidationError, "own name"):
            Deliberation.with_user(self.officer).create(dict(values, author_id=self.legal.id))
        self._legal_review(case, conclusion="disagree")
        self._pass_rights(case)
        with self.assertRaisesRegex(UserError, "Legal review"):
            self._request(case)
        self._legal_review(case)
        with self.assertRaisesRegex(UserError, "Collective discussion"):
            self._request(case)

    def test_r13_4_collective_discussion_by_the_leaders_as_a_gate(self):
        """行政处罚法 第五十七条第二款: complex or serious cases are decided by the bureau's
        leaders in collective discussion, with minutes naming the participants."""
        case = self._deciding(complex_case=True)
        self._pass_rights(case)
        self._legal_review(case)
        Deliberation = self.env["hr.enforcement.deliberation"].with_user(self.officer)
        values = {
            "case_id": case.id,
            "kind": "collective",
            "participant_ids": [(6, 0, (self.approver | self.manager).employee_id.ids)],
            "minutes": "<p>刘局长：同意。王科长：同意。</p>",
            "opinion": "Agreed.",
            "conclusion": "agree",
        }
        with self.assertRaisesRegex(ValidationError, "three participants"):
            Deliberation.create(values)
        status = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_id.deliberation_kind", "=", "collective")]
        )
        self.assertEqual(status.status, "excused", "the matrix asks for the minutes")
        with self.assertRaisesRegex(UserError, "Collective discussion"):
            self._request(case)  # an excuse in the matrix never opens the gate
        leaders = self.approver | self.manager | self.reviewer
        Deliberation.create(dict(values, participant_ids=[(6, 0, leaders.employee_id.ids)]))
        self.assertEqual(self._approve(case, "decision").state, "approved")

    def test_r13_2_rules_are_data_the_managers_adjust(self):
        case = self._deciding()
        self.assertFalse(case.legal_review_required)
        rule = (
            self.env["hr.enforcement.gate.rule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Every penalty",
                    "gate": "legal_review",
                    "decision_kind": "penalty",
                    "requirement_ref": "R13.2",
                }
            )
        )
        self.assertTrue(case.legal_review_required)
        with self.assertRaises(AccessError):
            rule.with_user(self.officer).write({"active": False})
        rule.with_user(self.manager).write({"active": False})
        self.assertFalse(case.legal_review_required)

    # ------------------------------------------------------------------ money
    def test_r15_1_handling_decision_paid_in_part_then_in_full(self):
        """劳动保障监察条例 第二十六条: wage arrears end in a handling decision ordering the
        wages of the workers concerned; payments are recorded in part, then in full."""
        case = self._deciding(enforcement_type="inspection")
        case.write({"decision_kind": "treatment", "penalty_kind": False, "fine_amount": 0})
        Amount = self.env["hr.enforcement.amount"].with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "workers"):
            Amount.create({"case_id": case.id, "kind": "wages", "amount": 280000})
        wages = Amount.create(
            {
                "case_id": case.id,
                "kind": "wages",
                "amount": 280000,
                "workers_count": 15,
                "basis": "劳动保障监察条例 第二十六条第（一）项",
                "date_due": self.today + timedelta(days=15),
            }
        )
        with self.assertRaisesRegex(UserError, "advance notice"):
            self._request(case)
        self._approve(case, "decision")
        self._excuse_missing(case)
        case.action_to_service()
        with self.assertRaisesRegex(ValidationError, "decision is made"):
            Amount.create({"case_id": case.id, "kind": "fine", "amount": 1000})
        with self.assertRaisesRegex(UserError, "do not change"):
            wages.write({"amount": 1000})
        Payment = self.env["hr.enforcement.payment"].with_user(self.officer)
        Payment.create({"amount_id": wages.id, "amount": 100000, "receipt_number": "Bank 001"})
        self.assertEqual((wages.state, wages.balance), ("partly", 180000))
        with self.assertRaisesRegex(ValidationError, "exceed"):
            Payment.create({"amount_id": wages.id, "amount": 200000, "receipt_number": "B2"})
        Payment.create({"amount_id": wages.id, "amount": 180000, "receipt_number": "Bank 002"})
        self.assertEqual(wages.state, "paid")
        self.assertEqual((case.wages_paid, case.workers_covered), (280000, 15))
        with self.assertRaises(AccessError):
            Payment.with_user(self.supervisor).create(
                {"amount_id": wages.id, "amount": 1, "receipt_number": "x"}
            )

    def test_r15_1_fine_due_in_15_calendar_days_with_daily_surcharge(self):
        """行政处罚法 第六十七条 (15 days from receipt, calendar days) and 第七十二条（一）(3 % of
        the unpaid fine a day, never more than the fine)."""
        case = self._deciding()
        fine = (
            self.env["hr.enforcement.amount"]
            .with_user(self.officer)
            .create(
                {
                    "case_id": case.id,
                    "kind": "fine",
                    "amount": 1000,
                    "date_received": date(2026, 3, 2),
                }
            )
        )
        self.assertEqual(fine.date_due, date(2026, 3, 17), "a Tuesday: 15 calendar days")
        self.assertEqual(fine._surcharge_on(date(2026, 3, 17)), 0)
        self.assertEqual(fine._surcharge_on(date(2026, 3, 27)), 300, "ten days at 3 %")
        self.assertEqual(fine._surcharge_on(date(2026, 6, 1)), 1000, "capped at the fine")

    # ------------------------------------------------------------------ officers
    def test_r8_1_certificate_of_the_case_field_and_shown_never_assumed(self):
        """劳动保障监察条例 第十六条: labour inspection is done with the labour inspection
        certificate, shown to the party; that it was shown is never assumed."""
        case = self._open_case(date_received=self.received)
        general = self._make_certificate(self.officer2.employee_id, "GEN-1")
        general.enforcement_field = "administrative"
        lines = [
            (0, 0, {"employee_id": u.employee_id.id, "certificate_id": c.id})
            for u, c in ((self.officer, self.cert[self.officer]), (self.officer2, general))
        ]
        with self.assertRaisesRegex(ValidationError, "labour inspection"):
            self._add_step(case, officer_line_ids=lines)
        line = self.env["hr.enforcement.investigation.officer"].new({})
        self.assertFalse(line.certificate_shown, "never assumed")
        step = self._add_step(case)
        step.officer_line_ids[0].certificate_shown = False
        self._excuse_missing(case)
        with self.assertRaisesRegex(UserError, "did not show"):
            case.action_to_decision()

    def test_r4_1_no_step_dated_before_the_case_was_received(self):
        case = self._open_case(date_received=self.today - timedelta(days=3))
        with self.assertRaisesRegex(ValidationError, "before case"):
            self._add_step(case, date=fields.Datetime.now() - timedelta(days=10))
        with self.assertRaisesRegex(ValidationError, "before case"):
            self._text(case, date=fields.Datetime.now() - timedelta(days=10))

    def test_r5_1_every_record_of_the_procedure_is_kept_in_the_system(self):
        """R5.1: the procedure is kept electronically, as data: the notice, its document and
        its file, the statements, the amounts and the payments are records of the case,
        each step in its log."""
        case = self._deciding()
        notice = self._notice(case)
        self._serve(notice)
        document = notice.text_record_id
        self.assertEqual(document.case_id, case)
        self.assertTrue(self._stored_bytes(document.file_ids).startswith(b"%PDF"))
        self.env["hr.enforcement.statement"].with_user(self.officer).create(
            {
                "notice_id": notice.id,
                "content": "Objection.",
                "reexamination": "Checked.",
                "adopted": "rejected",
            }
        )
        types = set(
            self.env["hr.enforcement.event"]
            .search([("case_id", "=", case.id)])
            .mapped("event_type")
        )
        self.assertLessEqual({"notice", "statement", "sealed", "file_added"}, types)
