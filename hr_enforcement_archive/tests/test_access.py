from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestAccessAndConfidentiality(ArchiveCase):
    """Access requests (R19.1) and confidentiality levels (R20.1)."""

    def _request(self, case, record, **values):
        return (
            self.env["hr.enforcement.access.request"]
            .with_user(self.outsider)
            .create(
                dict(
                    {
                        "case_id": case.id,
                        "requester_id": self.party.id,
                        "purpose": "Preparing an administrative reconsideration",
                        "av_record_ids": [(6, 0, record.ids)],
                        "expiry_date": date.today() + timedelta(days=10),
                    },
                    **values,
                )
            )
        )

    def _download(self, evidence, user, request=None):
        context = {"hr_enforcement_access_request_id": request.id} if request else {}
        return evidence.with_user(user).with_context(**context)._get_download_path("")

    def test_r19_1_reply_within_20_working_days_extendable_once(self):
        case = self._open_case()
        record = self._av(case)
        with freeze_time("2026-03-02"):
            request = self._request(case, record, received_on="2026-03-02")
        self.assertEqual(request.reply_deadline, date(2026, 3, 30))
        with self.assertRaisesRegex(UserError, "extended once"):
            request.with_user(self.approver).action_extend()
        request.extension_reason = "Records held by another unit"
        with self.assertRaisesRegex(UserError, "approver"):
            request.with_user(self.outsider).action_extend()
        request.with_user(self.approver).action_extend()
        self.assertEqual(request.reply_deadline, date(2026, 4, 28))

    def test_r20_1_confidential_av_needs_an_approved_request(self):
        case = self._open_case()
        record = self._av_with_file(case, confidentiality="commercial")
        evidence = record.file_ids
        self._download(evidence, self.officer)  # on the case: allowed, logged
        with self.assertRaisesRegex(UserError, "R19.1"):
            self._download(evidence.sudo(), self.outsider)
        request = self._request(case, record)
        with self.assertRaisesRegex(UserError, "not approved"):
            self._download(evidence.sudo(), self.outsider, request)
        with self.assertRaisesRegex(UserError, "approver"):
            request.with_user(self.outsider).action_approve()
        request.user_id = self.approver
        with self.assertRaisesRegex(UserError, "does not approve"):
            request.with_user(self.approver).action_approve()
        request.user_id = self.outsider
        request.with_user(self.approver).action_approve()
        self._download(evidence.sudo(), self.outsider, request)
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "downloaded")],
            limit=1,
            order="sequence desc",
        )
        self.assertIn(request.name, event.purpose, "logged with the request as its purpose")
        self.assertEqual(event.user_id, self.outsider)
        with freeze_time(date.today() + timedelta(days=11)):
            request.invalidate_recordset(["expired"])
            with self.assertRaisesRegex(UserError, "expired"):
                self._download(evidence.sudo(), self.outsider, request)

    def test_r19_1_files_outside_the_scope_refused(self):
        case = self._open_case()
        in_scope = self._av_with_file(case, confidentiality="privacy")
        other = self._av_with_file(case, confidentiality="privacy")
        request = self._request(case, in_scope)
        request.with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "outside the scope"):
            self._download(other.file_ids.sudo(), self.outsider, request)

    def test_r20_1_record_rules_per_role(self):
        case = self._open_case(confidentiality="state_secret")
        Case = self.env["hr.enforcement.case"]
        self.assertEqual(Case.with_user(self.officer).search([("id", "=", case.id)]), case)
        self.assertFalse(Case.with_user(self.officer2).search([("id", "=", case.id)]))
        self.assertFalse(Case.with_user(self.supervisor).search([("id", "=", case.id)]))
        self.assertFalse(Case.with_user(self.outsider).search([("id", "=", case.id)]))
        self.assertEqual(Case.with_user(self.manager).search([("id", "=", case.id)]), case)
        with self.assertRaises(AccessError):
            case.with_user(self.supervisor).read(["subject"])
        record = self._text(
            case, self.env.ref("hr_enforcement_record.document_type_other"), certificate_ids=[]
        )
        self.assertEqual(record.confidentiality, "state_secret", "records follow their case")
        Text = self.env["hr.enforcement.text.record"]
        self.assertFalse(Text.with_user(self.officer2).search([("id", "=", record.id)]))
        cleared = self.env.ref("hr_enforcement_archive.group_cleared")
        self.supervisor.groups_id = [(4, cleared.id)]
        self.assertEqual(Case.with_user(self.supervisor).search([("id", "=", case.id)]), case)

    def test_internal_cases_stay_visible(self):
        case = self._open_case()
        self.assertEqual(case.confidentiality, "internal")
        Case = self.env["hr.enforcement.case"]
        self.assertEqual(Case.with_user(self.officer2).search([("id", "=", case.id)]), case)
