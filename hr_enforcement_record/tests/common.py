from contextlib import contextmanager
from datetime import date

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

GROUP = "hr_enforcement_record.hr_enforcement_record_group_%s"


class EnforcementCase(TransactionCase):
    """One user per role (R21.1), each an employee; certified officers (R8.1)."""

    @contextmanager
    def assertRaisesRegex(self, exception, regex):  # pylint: disable=arguments-differ
        """Like Odoo's assertRaises, roll back what the failed call wrote (as a request
        would), then check the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Messages are asserted in English; test_zh_cn_error_messages checks the translation.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.department = cls.env["hr.department"].create({"name": "Labour Inspection"})
        cls.other_department = cls.env["hr.department"].create({"name": "Licensing"})
        cls.officer = cls._make_user("officer1", "officer", cls.department)
        cls.officer2 = cls._make_user("officer2", "officer", cls.department)
        cls.outsider = cls._make_user("outsider", "officer", cls.other_department)
        cls.reviewer = cls._make_user("reviewer", "reviewer", cls.department)
        cls.approver = cls._make_user("approver", "approver", cls.department)
        cls.supervisor = cls._make_user("supervisor", "supervisor", cls.other_department)
        cls.legal = cls._make_user("legalstaff", "legal_review", cls.other_department)
        cls.manager = cls._make_user("manager", "manager", cls.department)
        cls.cert = {}
        for user in (cls.officer, cls.officer2, cls.outsider, cls.reviewer, cls.approver):
            cls.cert[user] = cls._make_certificate(user.employee_id, f"CERT-{user.login}")
        cls.party = cls.env["res.partner"].create(
            {
                "name": "Dalian Example Construction Co.",
                "is_company": True,
                "enforcement_id_type": "uscc",
                "enforcement_id_number": "91210213MA0QD6P213",
            }
        )

    @classmethod
    def _make_user(cls, login, role, department):
        user = new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{GROUP % role}",
            name=login.title(),
            email=f"{login}@example.com",
            lang="en_US",
        )
        cls.env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "department_id": department.id}
        )
        return user

    @classmethod
    def _make_certificate(
        cls, employee, number, date_from=date(2020, 1, 1), date_to=date(2099, 12, 31)
    ):
        return cls.env["hr.enforcement.certificate"].create(
            {
                "number": number,
                "employee_id": employee.id,
                "issuing_authority": "Liaoning Provincial Government",
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    def _case_values(self, **overrides):
        values = {
            "subject": "Unpaid wages",
            "enforcement_type": "penalty",
            "origin": "ex_officio",
            "partner_id": self.party.id,
            "department_id": self.department.id,
            "handler_id": self.officer.employee_id.id,
            "reviewer_id": self.reviewer.employee_id.id,
            "approver_id": self.approver.employee_id.id,
            "facts": "Wages of 12 workers unpaid since July.",
            "legal_basis": "Regulation on Ensuring Payment of Wages to Migrant Workers, art. 57",
        }
        values.update(overrides)
        return values

    def _create_case(self, **overrides):
        return (
            self.env["hr.enforcement.case"]
            .with_user(self.officer)
            .create(self._case_values(**overrides))
        )

    def _pass_rights(self, case):
        """For tests about other rules: the party of a proposed penalty or handling decision
        was notified and waived its rights (tests of the procedure itself go the whole way:
        test_penalty_procedure)."""
        if case.decision_kind not in ("penalty", "treatment") or case._get_current_notice():
            return
        if case.decision_kind == "penalty" and not case.penalty_kind:
            case.with_user(self.officer).write({"penalty_kind": "warning"})
        notice = (
            self.env["hr.enforcement.penalty.notice"]
            .with_user(self.officer)
            .create(
                {
                    "case_id": case.id,
                    "penalty_kind": case.penalty_kind,
                    "fine_amount": case.fine_amount,
                    "proposed_decision": "A warning.",
                    "facts": case.facts or "Facts.",
                    "reasons": "Reasons.",
                    "legal_basis": case.legal_basis or "Basis.",
                }
            )
        )
        notice.sudo()._app().write({"date_served": case.date_received, "waived": True})

    def _approve(self, case, kind, extension_days=0):
        """Run a request through the real chain, each step as its own user (R21.1)."""
        if kind == "decision" and case.stage == "decision":
            self._pass_rights(case)
        request = (
            self.env["hr.enforcement.approval"]
            .with_user(self.officer)
            .create(
                {
                    "res_model": case._name,
                    "res_id": case.id,
                    "kind": kind,
                    "proposal": "Proposed with reasons.",
                    "extension_days": extension_days,
                    "reviewer_id": self.reviewer.id,
                    "approver_id": self.approver.id,
                }
            )
        )
        request.action_submit()
        request.with_user(self.reviewer).write({"review_opinion": "Reviewed: lawful."})
        request.with_user(self.reviewer).action_review()
        request.with_user(self.approver).write({"approval_opinion": "Approved."})
        request.with_user(self.approver).action_approve()
        return request

    def _end_enforcement(self, case, user=None):
        """The closing (结案) approved through the chain, then the case to archiving (R21.1)."""
        self._approve(case, "closing")
        self._excuse_missing(case)
        case.with_user(user or self.officer).action_to_archiving()

    def _add_step(self, case, officers=None, **overrides):
        officers = officers or (self.officer, self.officer2)
        values = {
            "case_id": case.id,
            "name": "Inquiry of the legal representative",
            "step_type": "inquiry",
            "party_signed": True,
            "officer_line_ids": [
                (
                    0,
                    0,
                    {
                        "employee_id": u.employee_id.id,
                        "certificate_id": self.cert[u].id,
                        "certificate_shown": True,
                    },
                )
                for u in officers
            ],
        }
        values.update(overrides)
        return self.env["hr.enforcement.investigation"].with_user(self.officer).create(values)

    def _excuse_missing(self, case):
        """Excuse what the completeness matrix still misses, for tests about other rules."""
        missing = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("status", "=", "missing")]
        )
        self.env["hr.enforcement.requirement.excuse"].with_user(self.officer).create(
            [
                {
                    "case_id": case.id,
                    "requirement_id": line.requirement_id.id,
                    "reason": "Not in this test.",
                }
                for line in missing
            ]
        )

    def _open_case(self, **overrides):
        case = self._create_case(**overrides)
        self._approve(case, "case_opening")
        case.action_start_investigation()
        return case

    def _approve_decision(self, case):
        """From an open case: an investigation step, the decision proposed and approved;
        the case is then ready for service."""
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "Order to pay the wages and a fine."})
        self._approve(case, "decision")
        self._excuse_missing(case)

    def _decided_case(self, **overrides):
        case = self._open_case(**overrides)
        self._approve_decision(case)
        case.action_to_service()
        return case
