from datetime import date
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from odoo.addons.hr_enforcement_archive.tests.common import ArchiveCase


@tagged("post_install", "-at_install")
class TestRpcAttacks(HttpCase, ArchiveCase):
    """The reproductions of the guard issue, replayed over XML-RPC by the demo roles:
    each is refused with a message and leaves nothing half-done (R3.1, R19.1, R20.1,
    R21.1, R22.3)."""

    def _call(self, login, model, method, args, kwargs=None):
        uid = self.xmlrpc_common.login(self.env.cr.dbname, login, login)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, args, kwargs or {}
        )

    def _refused(self, login, model, method, args, kwargs=None):
        with self.assertRaises(Fault) as caught:
            self._call(login, model, method, args, kwargs)
        return caught.exception.faultString

    def test_r22_3_forged_marker_and_behaviour_keys_do_nothing(self):
        case = self._open_case()
        record = self._av(case)
        forged = {"context": {"hr_enforcement_app": True, "tracking_disable": True}}
        message = self._refused(
            "officer1",
            "hr.enforcement.av.record",
            "write",
            [[record.id], {"uploaded_at": "2026-01-01 00:00:00"}],
            forged,
        )
        self.assertIn("R18.2", message)
        self.assertFalse(record.uploaded_at)
        self._call(
            "officer1", "hr.enforcement.case", "write", [[case.id], {"facts": "Rewritten"}], forged
        )
        tracked = case.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "facts"
        )
        self.assertTrue(tracked, "tracking_disable from a client is ignored: the change is traced")
        for field, value in (
            ("investigation_deadline", "2099-01-01"),
            ("next_deadline", "2099-01-01"),
            ("date_received", "2020-01-01"),
        ):
            self._refused("officer1", "hr.enforcement.case", "write", [[case.id], {field: value}])
        self.assertNotEqual(str(case.next_deadline), "2099-01-01")
        # a Chinese civil servant's client sends her language, and she reads why
        message = self._refused(
            "officer1",
            "hr.enforcement.case",
            "write",
            [[case.id], {"stage": "closed"}],
            {"context": {"lang": "zh_CN"}},
        )
        self.assertIn("由系统设定", message)
        self.assertIn("R3.1", message)

    def test_r19_1_access_request_cannot_approve_itself_over_rpc(self):
        case = self._open_case()
        clip = self._av_with_file(case, confidentiality="commercial")
        values = {
            "case_id": case.id,
            "requester_id": self.party.id,
            "purpose": "x",
            "av_record_ids": [(6, 0, clip.ids)],
            "expiry_date": str(date(2099, 1, 1)),
            "state": "approved",
        }
        self._refused("officer2", "hr.enforcement.access.request", "create", [values])
        self._refused(
            "outsider",
            "hr.enforcement.access.request",
            "create",
            [dict(values, state="draft")],
        )
        self.assertFalse(
            self.env["hr.enforcement.access.request"].search([("case_id", "=", case.id)])
        )

    def test_r21_1_nobody_joins_a_case_or_repoints_a_decision_over_rpc(self):
        case = self._open_case()
        step = self._add_step(case)
        self._refused(
            "outsider",
            "hr.enforcement.investigation.officer",
            "create",
            [
                {
                    "investigation_id": step.id,
                    "employee_id": self.outsider.employee_id.id,
                    "certificate_id": self.cert[self.outsider].id,
                }
            ],
        )
        self.assertNotIn(self.outsider, case.sudo().member_user_ids)
        request = case.approval_ids[:1]
        other = self._create_case()
        self._refused(
            "approver",
            "hr.enforcement.approval",
            "write",
            [[request.id], {"res_id": other.id}],
        )
        self.assertEqual(request.res_id, case.id)

    def test_r16_1_decision_gates_hold_over_xml_rpc_for_every_role(self):
        """行政处罚法 第四十四、六十二条 over RPC as in the form: no role proposes the decision
        before the advance notice was served and its periods ran out; nobody marks a notice
        served without its document, waived without the signed waiver, or records a
        statement on a notice not served."""
        case = self._open_case()
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"penalty_kind": "fine", "fine_amount": 3000})
        request = {
            "res_model": case._name,
            "res_id": case.id,
            "kind": "decision",
            "proposal": "Fine.",
            "reviewer_id": self.reviewer.id,
            "approver_id": self.approver.id,
        }
        for login in ("officer1", "officer2", "admin"):
            message = self._refused(login, "hr.enforcement.approval", "create", [request])
            self.assertIn("R16.1", message)
        self.assertFalse(case.approval_ids.filtered(lambda r: r.kind == "decision"))
        notice_id = self._call(
            "officer1",
            "hr.enforcement.penalty.notice",
            "create",
            [{"case_id": case.id, "proposed_decision": "A fine of 3,000.", "reasons": "R"}],
        )
        message = self._refused(
            "officer1",
            "hr.enforcement.penalty.notice",
            "write",
            [[notice_id], {"date_served": str(date.today())}],
        )
        self.assertIn("请先根据本告知制作告知书", message)
        for login in ("officer1", "officer2", "admin"):
            message = self._refused(
                login, "hr.enforcement.penalty.notice", "write", [[notice_id], {"waived": True}]
            )
            self.assertIn("R16.1", message)
        message = self._refused(
            "officer1",
            "hr.enforcement.statement",
            "create",
            [{"notice_id": notice_id, "content": "We object."}],
        )
        self.assertIn("请先送达告知书", message)
        notice = self.env["hr.enforcement.penalty.notice"].browse(notice_id)
        self.assertFalse(notice.date_served or notice.waived or notice.statement_ids)
        # R13.2: the legal review is the legal-review staff's, not the handling unit's
        review = {
            "case_id": case.id,
            "kind": "legal_review",
            "participant_ids": [(6, 0, self.reviewer.employee_id.ids)],
            "opinion": "Lawful.",
            "conclusion": "agree",
        }
        for login in ("officer1", "reviewer", "approver"):
            message = self._refused(login, "hr.enforcement.deliberation", "create", [review])
            self.assertIn("R13.2", message)
        self.assertTrue(self._call("legalstaff", "hr.enforcement.deliberation", "create", [review]))
