from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import EnforcementCase
from .test_evidence import EvidenceCase


@tagged("post_install", "-at_install")
class TestCaseLifecycle(EvidenceCase):
    """R2.1, R3.1: a typed case walks the five stages, each entry guarded in the model."""

    def test_r3_1_reference_per_company_and_year(self):
        case = self._create_case(date_received="2026-03-01")
        self.assertRegex(case.name, r"^ZF2026-\d{5}$")
        other = self._create_case(date_received="2025-12-31")
        self.assertRegex(other.name, r"^ZF2025-\d{5}$")
        company2 = self.env["res.company"].create({"name": "Second Bureau"})
        seq = self.env["hr.enforcement.case"]._next_reference(
            company2, fields.Date.to_date("2026-01-05")
        )
        self.assertEqual(seq, "ZF2026-00001", "each company numbers its own cases")

    def test_r3_1_a_new_case_is_handled_by_the_officer_who_opens_it(self):
        values = self._case_values()
        del values["handler_id"], values["department_id"]
        case = self.env["hr.enforcement.case"].with_user(self.officer).create(values)
        self.assertEqual(case.handler_id, self.officer.employee_id)
        self.assertEqual(case.department_id, self.department)

    def test_r3_1_stages_sort_and_group_in_the_order_of_article_3(self):
        """Not alphabetically (archiving would come before investigation)."""
        opened = self._open_case()
        fresh = self._create_case()
        Case = self.env["hr.enforcement.case"]
        groups = Case._read_group([("id", "in", (opened | fresh).ids)], ["stage"], ["__count"])
        self.assertEqual([stage for stage, _count in groups], ["initiation", "investigation"])
        self.assertEqual(
            Case.search([("id", "in", (opened | fresh).ids)], order="stage desc")[0], opened
        )
        lazy = Case.read_group([("id", "in", opened.ids)], ["stage"], ["stage"])
        self.assertEqual(
            [group["stage"] for group in lazy],
            ["initiation", "investigation", "decision", "service", "archiving", "closed",
             "cancelled"],
            "every column, in order, for the kanban",
        )  # fmt: skip

    def _flush_tracking(self):
        """Tracking is written at commit; each button click is its own transaction."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_r3_1_full_lifecycle(self):
        case = self._create_case()
        self._approve(case, "case_opening")
        self._flush_tracking()

        def investigate():
            self._add_step(case)
            self._excuse_missing(case)
            case.action_to_decision()

        def decide():
            case.write({"decision_summary": "Pay the wages"})
            self._approve(case, "decision")
            self._excuse_missing(case)
            case.action_to_service()

        def close():
            # with the archive addon installed, archiving the case file closes the case (R18.1)
            if "hr.enforcement.case.file" in self.env:
                CaseFile = self.env["hr.enforcement.case.file"].with_user(self.manager)
                CaseFile.create({"case_id": case.id}).action_archive_file()
            else:
                case.with_user(self.manager).action_close()

        steps = [
            case.action_start_investigation,
            investigate,
            decide,
            lambda: self._end_enforcement(case),
            close,
        ]
        for step in steps:
            step()
            self._flush_tracking()
        self.assertEqual(case.stage, "closed")
        self.assertTrue(case.date_filed and case.date_decided)
        self.assertEqual(case.date_ended, fields.Date.context_today(case))
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", case._name),
                ("mail_message_id.res_id", "=", case.id),
                ("field_id.name", "=", "stage"),
            ]
        )
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")),
            sorted(
                ["Investigation", "Review & Decision", "Service & Execution", "Archiving", "Closed"]
            ),
            "every stage change is tracked",
        )

    def test_r3_1_stage_cannot_be_skipped(self):
        case = self._create_case()
        self._approve(case, "case_opening")
        with self.assertRaisesRegex(UserError, "R3.1"):
            case._app().write({"stage": "service"})
        with self.assertRaisesRegex(UserError, "R3.1"):
            case.action_to_archiving()

    def test_r3_1_stage_not_writable_directly(self):
        case = self._create_case()
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R3.1"):
                case.with_user(user).write({"stage": "investigation"})
        with self.assertRaisesRegex(UserError, "R3.1"):
            self._create_case(stage="decision")
        with self.assertRaisesRegex(UserError, "R3.1"):
            case.write({"date_filed": "2020-01-01"})

    def test_r21_1_opening_needs_approval(self):
        case = self._create_case()
        with self.assertRaisesRegex(UserError, "R21.1"):
            case.action_start_investigation()

    def test_r8_1_decision_needs_investigation(self):
        case = self._open_case()
        with self.assertRaisesRegex(UserError, "R8.1"):
            self._excuse_missing(case)
            case.action_to_decision()

    def test_r13_1_service_needs_approved_decision_with_remedies(self):
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        with self.assertRaisesRegex(UserError, "R13.5"):
            self._excuse_missing(case)
            case.action_to_service()
        case.write({"remedies_notice": False, "decision_summary": "Fine of 5,000 yuan"})
        self._approve(case, "decision")
        with self.assertRaisesRegex(UserError, "R13.1"):
            self._excuse_missing(case)
            case.action_to_service()
        case.write({"remedies_notice": "Reconsideration within 60 days; lawsuit within 6 months."})
        self._excuse_missing(case)
        case.action_to_service()
        self.assertEqual(case.stage, "service")

    def test_r12_1_decision_carries_its_facts_and_legal_basis(self):
        """The decided case carries the facts, the legal basis and reasons, and the
        decision, with its handler (author) and reviewer named, before it is served."""
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "Fine of 5,000 yuan", "legal_basis": False})
        self._approve(case, "decision")
        self._excuse_missing(case)
        with self.assertRaisesRegex(UserError, r"R12\.1"):
            case.action_to_service()
        self.assertTrue(case.handler_id and case.reviewer_id, "author and reviewer are named")

    def test_r22_3_decided_facts_are_locked(self):
        case = self._decided_case()
        for user in (self.officer, self.manager):
            with self.assertRaisesRegex(UserError, "R22.3"):
                case.with_user(user).write({"legal_basis": "Another article"})
        case.write({"subject": "Unpaid wages (corrected title)"})  # not a decided fact

    def test_r22_3_cases_are_never_deleted(self):
        case = self._create_case()
        with self.assertRaises(AccessError):
            case.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "R22.3"):
            case.sudo().unlink()

    def test_r21_1_cancellation_needs_reasons_its_form_and_the_approval_chain(self):
        """撤销立案: written reasons on a numbered approval form, proposed, reviewed and
        approved; the approval ends the case."""
        case = self._open_case()
        with self.assertRaisesRegex(UserError, "reason"):
            self._approve(case, "cancellation")
        case.cancel_reason = "Duplicate of an existing case"
        with self.assertRaisesRegex(UserError, "approval form"):
            self._approve(case, "cancellation")
        form = self._issue_from(
            self.env["hr.enforcement.document.issue"]._action_open(
                case, "", "hr_enforcement_record.document_type_cancellation_approval_form"
            )
        )
        self.assertTrue(form.document_number.startswith("金普人社撤字"))
        self.assertIn("Duplicate of an existing case", self._pdf_text(form))
        with self.assertRaisesRegex(UserError, "not approved"):
            case.action_cancel()
        self.assertEqual(case.stage, "investigation")
        self._approve(case, "cancellation")
        self.assertEqual(
            (case.stage, case.date_closed), ("cancelled", fields.Date.context_today(case))
        )
        with self.assertRaisesRegex(UserError, "R3.1"):
            case.action_start_investigation()

    def test_r21_1_closing_through_the_approval_chain_on_its_form(self):
        """结案: the closing is approved and its approval form is on file before archiving."""
        case = self._decided_case()
        line = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("requirement_ref", "=", "R21.1")]
        )
        self.assertEqual(line.stage_sequence, 3, "the form is due at service & execution")
        with self.assertRaisesRegex(UserError, "not approved"):
            case.action_to_archiving()
        with self.assertRaisesRegex(UserError, "executed"):
            self._approve(self._open_case(), "closing")
        self._approve(case, "closing")
        self.assertTrue(case.closing_approved)
        self._excuse_missing(case)
        case.action_to_archiving()
        self.assertEqual(case.stage, "archiving")

    def test_r13_3_expert_argumentation_keeps_its_minutes(self):
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        values = {
            "case_id": case.id,
            "kind": "expert",
            "opinion": "The wage calculation is sound.",
            "conclusion": "agree",
            "participant_ids": [(6, 0, self.reviewer.employee_id.ids)],
        }
        Deliberation = self.env["hr.enforcement.deliberation"].with_user(self.reviewer)
        with self.assertRaisesRegex(ValidationError, r"R13\.3"):
            Deliberation.create(dict(values, minutes=False))
        experts = Deliberation.create(dict(values, minutes="Two experts heard on 10 November."))
        self.assertEqual(experts.kind, "expert")

    def test_r13_2_deliberations_recorded_at_decision(self):
        case = self._open_case()
        self._add_step(case)
        deliberation = self.env["hr.enforcement.deliberation"].with_user(self.legal)
        values = {
            "case_id": case.id,
            "kind": "legal_review",
            "opinion": "Facts clear, basis correct.",
            "conclusion": "agree",
            "participant_ids": [(6, 0, self.legal.employee_id.ids)],
        }
        with self.assertRaisesRegex(UserError, "R22.3"):
            deliberation.create(values)
        self._excuse_missing(case)
        case.action_to_decision()
        review = deliberation.create(values)
        self.assertEqual(review.participant_ids, self.legal.employee_id)
        with self.assertRaisesRegex(ValidationError, "R13.4"):
            deliberation.with_user(self.officer).create(
                dict(values, kind="collective", minutes=False)
            )
        with self.assertRaisesRegex(ValidationError, "R13.2"):
            deliberation.create(dict(values, participant_ids=[]))
        case.write({"decision_summary": "Fine"})
        self._approve(case, "decision")
        self._excuse_missing(case)
        case.action_to_service()
        with self.assertRaisesRegex(UserError, "R22.3"):
            review.write({"opinion": "rewritten later"})

    def test_r2_1_form_defaults(self):
        with Form(self.env["hr.enforcement.case"].with_user(self.officer)) as form:
            form.subject = "Labour contract not signed"
            form.enforcement_type = "inspection"
            form.origin = "ex_officio"
            form.department_id = self.department
            form.handler_id = self.officer.employee_id
            form.reviewer_id = self.reviewer.employee_id
            form.approver_id = self.approver.employee_id
        case = form.record
        self.assertEqual(case.stage, "initiation")
        self.assertEqual(case.date_received, fields.Date.context_today(case))
        self.assertIn("60 days", case.remedies_notice)


@tagged("post_install", "-at_install")
class TestReportsInChinese(EnforcementCase):
    """R22.1: the managers' reports group by date as Chinese readers write dates."""

    def test_r22_1_month_groups_read_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self._create_case(date_received="2026-08-03")
        groups = (
            self.env["hr.enforcement.case"]
            .with_context(lang="zh_CN")
            .read_group([], ["date_received"], ["date_received:month"])
        )
        self.assertIn("2026年8月", [group["date_received:month"] for group in groups])
        english = self.env["hr.enforcement.case"].read_group(
            [], ["date_received"], ["date_received:month"]
        )
        self.assertNotIn("2026年8月", [group["date_received:month"] for group in english])
