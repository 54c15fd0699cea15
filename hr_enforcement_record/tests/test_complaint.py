from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestComplaints(EnforcementCase):
    """R7.1, R7.2: complaints start cases; one not taken up closes only with record and notice."""

    def setUp(self):
        super().setUp()
        self.complainant = self.env["res.partner"].create({"name": "Wu Gang"})

    def _complaint(self, **overrides):
        values = {
            "origin": "complaint",
            "complainant_id": self.complainant.id,
            "complaint_real_name": True,
            "date_received": "2026-09-28",
        }
        values.update(overrides)
        return self._create_case(**values)

    def _issue_written_notice(self, case):
        """The numbered 不予受理告知书 to the complainant (若干规定 第十八条)."""
        kind = self.env.ref("hr_enforcement_record.document_type_complaint_rejection_notice")
        action = (
            self.env["hr.enforcement.document.issue"]
            .with_user(self.officer)
            .with_context(default_case_id=case.id)
            .create({"document_type_id": kind.id})
            .action_issue()
        )
        return self.env["hr.enforcement.text.record"].browse(action["res_id"])

    def test_r20_1_a_complainants_contact_is_read_by_the_people_on_the_case_only(self):
        """R20.1; 劳动保障监察条例 第九条第三款 (为举报人保密): an HR clerk, a colleague not on
        the case and another district's officer neither find nor read the complainant's
        contact; the handler and the managers do. A party's contact stays within the
        companies of its cases."""
        self.complainant.write({"phone": "13800000000", "street": "Jinma Road 8"})
        case = self._complaint()
        clerk = new_test_user(self.env, login="hrclerk", groups="base.group_user")
        other_company = self.env["res.company"].create({"name": "Another bureau"})
        stranger = new_test_user(
            self.env,
            login="elsewhere",
            groups="base.group_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        Partner = self.env["res.partner"]
        for user in (clerk, self.officer2, self.outsider, stranger):
            found = Partner.with_user(user).search([("name", "=", "Wu Gang")])
            self.assertFalse(found, user.login)
            self.assertFalse(Partner.with_user(user).name_search("Wu Gang"), user.login)
            with self.assertRaises(AccessError, msg=user.login):
                self.complainant.with_user(user).read(["name", "phone"])
        for user in (self.officer, self.manager):
            self.assertEqual(
                Partner.with_user(user).search([("name", "=", "Wu Gang")]), self.complainant
            )
        party = case.partner_id
        self.assertEqual(Partner.with_user(clerk).search([("id", "=", party.id)]), party)
        self.assertFalse(Partner.with_user(stranger).search([("id", "=", party.id)]))
        # nor does the complainant follow the case (its followers are shown to followers)
        for user in (self.officer, self.manager):
            with self.assertRaisesRegex(UserError, "R20.1"):
                case.with_user(user).message_subscribe(partner_ids=self.complainant.ids)
        self.assertNotIn(self.complainant, case.message_partner_ids)

    def test_r7_2_rejected_complaint_needs_record_and_written_notice(self):
        case = self._complaint()
        case.write({"complaint_decision": "rejected", "complaint_decision_date": "2026-09-30"})
        with self.assertRaisesRegex(UserError, "R7.2"):
            case.action_close()
        case.write({"complaint_rejection_record": "Outside our competence: labour arbitration."})
        with self.assertRaisesRegex(UserError, "R7.2"):
            case.action_close()
        self.assertEqual(case.stage, "initiation", "nothing half-done")
        case.write({"complaint_notice_date": "2026-09-30", "complaint_notice_method": "post"})
        with self.assertRaisesRegex(UserError, "Notice of a complaint not taken up"):
            case.action_close()
        notice = self._issue_written_notice(case)
        self.assertTrue(notice.sealed and notice.document_number.startswith("金普人社监不受字"))
        case.action_close()
        self.assertEqual(case.stage, "closed")
        selection = dict(case._fields["complaint_notice_method"].selection)
        self.assertNotIn("phone", selection, "a telephone call is no written notice")

    def test_r7_2_notice_cannot_be_removed_after_closing(self):
        case = self._complaint(
            complaint_decision="rejected",
            complaint_decision_date="2026-09-30",
            complaint_rejection_record="Not our competence.",
            complaint_notice_date="2026-09-30",
            complaint_notice_method="post",
        )
        self._issue_written_notice(case)
        case.action_close()
        # a closed case is locked whole (R22.3), its R7.2 notice with it, for everyone
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "R3.1, R22.3"):
                case.with_user(user).write({"complaint_notice_method": False})

    def test_r7_1_accepted_complaint_goes_to_investigation(self):
        case = self._complaint()
        self._approve(case, "case_opening")
        with self.assertRaisesRegex(UserError, "R7.1"):
            case.action_start_investigation()
        case.complaint_decision = "accepted"
        case.action_start_investigation()
        self.assertEqual(case.stage, "investigation")

    def test_r7_2_only_rejected_complaints_close_at_initiation(self):
        case = self._create_case()
        with self.assertRaisesRegex(UserError, "R7.2"):
            case.action_close()

    def test_r7_2_decision_due_in_five_working_days(self):
        # Received Mon 28 Sep 2026: National Day days off 1-7 Oct, make-up working day Sat 10 Oct.
        case = self._complaint()
        self.assertEqual(str(case.complaint_decision_deadline), "2026-10-10")
        self.assertEqual(case.next_deadline, case.complaint_decision_deadline)
        activity = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
            )
        )
        self.assertEqual(activity.date_deadline, case.complaint_decision_deadline)
        self.assertEqual(activity.user_id, self.officer)
