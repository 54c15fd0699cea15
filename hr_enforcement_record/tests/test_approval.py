from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestApprovalChain(EnforcementCase):
    """R21.1, R13.5: handler proposes, reviewer reviews, approver approves, all recorded."""

    def _draft(self, **overrides):
        case = self._create_case()
        values = {
            "res_model": case._name,
            "res_id": case.id,
            "kind": "case_opening",
            "proposal": "Open the case: wage arrears reported.",
            "reviewer_id": self.reviewer.id,
            "approver_id": self.approver.id,
        }
        values.update(overrides)
        return case, self.env["hr.enforcement.approval"].with_user(self.officer).create(values)

    def test_r21_1_chain_records_who_what_when(self):
        case, request = self._draft()
        request.action_submit()
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Lawful.")
        request.with_user(self.approver)._transition("approved", approval_opinion="Agreed.")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.proposer_id, self.officer)
        self.assertTrue(request.date_submitted and request.date_reviewed and request.date_decided)
        self.assertTrue(case._approval_is_granted("case_opening"))
        self.assertTrue(case.date_filed, "approval of the opening files the case")

    def _pending(self, request):
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_approval")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", request._name),
                ("res_id", "=", request.id),
                ("activity_type_id", "=", kind.id),
            ]
        )

    def test_r21_1_each_step_is_an_activity_of_the_person_who_must_act(self):
        """Pending work reaches people through their activities: the reviewer once the
        request is submitted, the approver once reviewed; each is closed when done and
        the proposer alone may withdraw."""
        _case, request = self._draft()
        self.assertFalse(self._pending(request))
        request.action_submit()
        pending = self._pending(request)
        self.assertEqual(pending.user_id, self.reviewer)
        self.assertIn("Review", pending.summary)
        self.assertIn("wage arrears", pending.note)
        reviewer_view = request.with_user(self.reviewer)
        self.assertEqual((reviewer_view.can_act, reviewer_view.can_withdraw), (True, False))
        self.assertTrue(request.can_withdraw, "the proposer may still withdraw")
        reviewer_view._transition("reviewed", review_opinion="Lawful.")
        self.assertFalse(pending.exists(), "the reviewer's activity is done")
        pending = self._pending(request)
        self.assertEqual(pending.user_id, self.approver)
        self.assertIn("Approve", pending.summary)
        request.with_user(self.approver)._transition("approved", approval_opinion="Agreed.")
        self.assertFalse(self._pending(request), "nothing left to do")
        self.assertIn("Done by", "".join(request.message_ids.mapped("body")))
        # a withdrawn request leaves nothing pending either
        _case, withdrawn = self._draft()
        withdrawn.action_submit()
        withdrawn.action_cancel()
        self.assertFalse(self._pending(withdrawn))

    def test_r21_1_the_approval_form_shows_what_is_decided(self):
        case, request = self._draft()
        case.with_user(self.officer).write({"facts": "Wages unpaid for three months."})
        self.assertEqual(request.with_user(self.reviewer).case_facts, case.facts)

    def test_r21_1_same_person_cannot_hold_two_roles(self):
        with self.assertRaisesRegex(ValidationError, "R21.1"):
            self._draft(reviewer_id=self.approver.id)
        _case, request = self._draft()
        with self.assertRaisesRegex(AccessError, "R21.1"):
            request.with_user(self.reviewer).write({"approver_id": self.reviewer.id})

    def test_r21_1_two_roles_refused_for_admin(self):
        case = self._create_case()
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(ValidationError, "R21.1"):
            self.env["hr.enforcement.approval"].with_user(admin).create(
                {
                    "res_model": case._name,
                    "res_id": case.id,
                    "kind": "case_opening",
                    "proposal": "x",
                    "reviewer_id": admin.id,
                    "approver_id": self.approver.id,
                }
            )

    def test_r21_1_two_roles_refused_on_import(self):
        case = self._create_case()
        model = self.env["hr.enforcement.approval"].with_user(self.officer)
        before = model.search_count([])
        result = model.load(
            ["res_model", "res_id", "kind", "proposal", "reviewer_id/.id", "approver_id/.id"],
            [
                [
                    case._name,
                    str(case.id),
                    "case_opening",
                    "x",
                    str(self.approver.id),
                    str(self.approver.id),
                ]
            ],
        )
        self.assertFalse(result["ids"])
        self.assertIn("R21.1", " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(model.search_count([]), before, "nothing half-saved")

    def test_r21_1_only_named_reviewer_and_approver_act(self):
        _case, request = self._draft()
        request.action_submit()
        with self.assertRaisesRegex(AccessError, "R21.1"):
            request.with_user(self.approver).write(
                {"review_opinion": "I'll do it", "state": "reviewed"}
            )
        with self.assertRaisesRegex(AccessError, "R21.1"):
            request.with_user(self.manager).write(
                {"review_opinion": "Manager", "state": "reviewed"}
            )

    def test_r21_1_admin_cannot_act_for_the_approver(self):
        _case, request = self._draft()
        request.action_submit()
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Fine")
        with self.assertRaisesRegex(AccessError, "R21.1"):
            request.with_user(self.env.ref("base.user_admin")).write(
                {"approval_opinion": "Admin", "state": "approved"}
            )

    def test_r13_5_opinion_required_at_each_step(self):
        _case, request = self._draft()
        request.action_submit()
        with self.assertRaisesRegex(ValidationError, "R21.1"):
            request.with_user(self.reviewer).action_review()
        _case, request = self._draft(proposal=False)
        with self.assertRaisesRegex(ValidationError, "R21.1"):
            request.action_submit()

    def test_r21_1_no_skipping_review(self):
        _case, request = self._draft()
        request.action_submit()
        with self.assertRaisesRegex(UserError, "R21.1"):
            request.with_user(self.approver).write({"approval_opinion": "x", "state": "approved"})

    def test_r21_1_decided_request_is_final(self):
        case = self._create_case()
        request = self._approve(case, "case_opening")
        with self.assertRaises(AccessError):
            request.with_user(self.approver).write({"approval_opinion": "Changed my mind"})
        with self.assertRaisesRegex(UserError, "R21.1"):
            request.with_user(self.approver).write({"state": "rejected"})
        with self.assertRaisesRegex(UserError, "R21.1"):
            request.with_user(self.officer).unlink()
        with self.assertRaisesRegex(UserError, "application"):
            request.with_user(self.manager).write({"date_decided": "2020-01-01 00:00:00"})
        # nor is it moved to another company, by a manager or an administrator
        other = self.env["res.company"].create({"name": "Other bureau"})
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):  # AccessError is one too
                request.with_user(user).write({"company_id": other.id})
        self.assertEqual(request.company_id, self.env.company)

    def test_r21_1_reviewer_must_be_legal_reviewer(self):
        with self.assertRaisesRegex(ValidationError, "reviewer"):
            self._draft(reviewer_id=self.officer2.id)
        with self.assertRaisesRegex(ValidationError, "approver"):
            self._draft(approver_id=self.officer2.id)

    def test_r21_1_rejection_keeps_case_where_it_is(self):
        case, request = self._draft()
        request.action_submit()
        request.with_user(self.reviewer)._transition("rejected", review_opinion="Evidence too thin")
        self.assertEqual(request.state, "rejected")
        self.assertFalse(case.date_filed)
        with self.assertRaisesRegex(UserError, "not approved"):
            case.action_start_investigation()

    def test_r21_1_one_open_request_per_kind(self):
        case, _request = self._draft()
        with self.assertRaisesRegex(UserError, "under way"):
            self.env["hr.enforcement.approval"].with_user(self.officer).create(
                {
                    "res_model": case._name,
                    "res_id": case.id,
                    "kind": "case_opening",
                    "proposal": "again",
                    "reviewer_id": self.reviewer.id,
                    "approver_id": self.approver.id,
                }
            )

    def test_r21_1_request_button_prefills_case_people(self):
        case = self._create_case()
        action = case.with_context(approval_kind="case_opening").action_request_approval()
        self.assertEqual(action["context"]["default_reviewer_id"], self.reviewer.id)
        self.assertEqual(action["context"]["default_approver_id"], self.approver.id)
        self.assertEqual(action["context"]["default_kind"], "case_opening")


@tagged("post_install", "-at_install")
class TestWholeProcessLogged(EnforcementCase):
    """R21.1, R22.3: the case's tamper-evident log holds every step of the internal process
    — proposals, reviews, approvals, rejections and withdrawals with their opinions, stage
    changes, excuses and their reasons, investigation steps and deliberations."""

    def _log(self, case):
        return self.env["hr.enforcement.event"].search([("case_id", "=", case.id)])

    def test_r21_1_every_step_of_a_decided_case_is_in_its_log(self):
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "Order to pay the wages and a fine."})
        self.env["hr.enforcement.deliberation"].with_user(self.officer).create(
            {
                "case_id": case.id,
                "kind": "collective",
                "participant_ids": [
                    (6, 0, (self.approver | self.manager | self.reviewer).employee_id.ids)
                ],
                "minutes": "<p>Discussed.</p>",
                "opinion": "The fine is proportionate.",
                "conclusion": "agree",
            }
        )
        self._approve(case, "decision")
        self._excuse_missing(case)
        case.action_to_service()
        log = self._log(case)
        types = log.mapped("event_type")
        for expected in (
            "created",
            "proposed",
            "reviewed",
            "approved",
            "stage_changed",
            "investigation",
            "excused",
            "deliberation",
        ):
            self.assertIn(expected, types)
        stages = log.filtered(lambda e: e.event_type == "stage_changed").mapped("description")
        self.assertEqual(
            stages,
            [
                "Initiation → Investigation",
                "Investigation → Review & Decision",
                "Review & Decision → Service & Execution",
            ],
        )
        reviews = log.filtered(lambda e: e.event_type == "reviewed").mapped("purpose")
        self.assertEqual(reviews, ["Reviewed: lawful.", "Reviewed: lawful."], "with opinions")
        excuse = log.filtered(lambda e: e.event_type == "excused")[:1]
        self.assertEqual(excuse.purpose, "Not in this test.", "the reason is logged")
        self.assertFalse(self.env["hr.enforcement.event"]._verify_chain(case))

    def test_r21_1_rejection_and_withdrawal_are_logged_with_opinions(self):
        case = self._create_case()
        Approval = self.env["hr.enforcement.approval"]
        values = {
            "res_model": case._name,
            "res_id": case.id,
            "kind": "case_opening",
            "proposal": "Open it.",
            "reviewer_id": self.reviewer.id,
            "approver_id": self.approver.id,
        }
        request = Approval.with_user(self.officer).create(values)
        request.action_submit()
        request.with_user(self.reviewer).write({"review_opinion": "Facts unclear."})
        request.with_user(self.reviewer).action_reject()
        again = Approval.with_user(self.officer).create(values)
        again.action_submit()
        again.action_cancel()
        log = self._log(case)
        rejected = log.filtered(lambda e: e.event_type == "rejected")
        self.assertEqual(rejected.purpose, "Facts unclear.")
        self.assertEqual(rejected.user_id, self.reviewer)
        withdrawn = log.filtered(lambda e: e.event_type == "withdrawn")
        self.assertEqual((withdrawn.res_id, withdrawn.user_id), (again.id, self.officer))
