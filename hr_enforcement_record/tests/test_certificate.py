from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestCertifiedOfficers(EnforcementCase):
    """R8.1: investigation records carry at least two officers with valid certificates."""

    def _steps(self, case):
        return self.env["hr.enforcement.investigation"].search([("case_id", "=", case.id)])

    def test_r8_1_step_records_officers_and_certificates(self):
        case = self._open_case()
        step = self._add_step(case)
        self.assertEqual(step.officer_count, 2)
        self.assertTrue(step.certificates_shown)
        self.assertEqual(
            set(step.officer_line_ids.mapped("certificate_number")),
            {"CERT-officer1", "CERT-officer2"},
        )
        self.assertIn(self.officer2, case.member_user_ids, "officers present are on the case")

    def test_r8_1_one_officer_is_not_enough(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._add_step(case, officers=(self.officer,))
        self.assertFalse(self._steps(case), "nothing half-saved")

    def test_r8_1_certificate_not_shown_is_recorded(self):
        case = self._open_case()
        step = self._add_step(case)
        step.officer_line_ids[0].certificate_shown = False
        self.assertFalse(step.certificates_shown)

    def test_r8_1_expired_certificate_refused(self):
        case = self._open_case()
        third = self._make_user("officer3", "officer", self.department)
        self.cert[third] = self._make_certificate(
            third.employee_id, "CERT-OLD", date(2015, 1, 1), date(2020, 12, 31)
        )
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._add_step(case, officers=(self.officer, self.officer2, third))
        self.assertFalse(self._steps(case))

    def test_r8_1_revoked_certificate_refused(self):
        case = self._open_case()
        cert = self.cert[self.officer2]
        with self.assertRaisesRegex(ValidationError, "reason"):
            cert.with_user(self.manager).action_revoke()
        cert.with_user(self.manager).write({"revoke_reason": "Left enforcement duties"})
        cert.with_user(self.manager).action_revoke()
        self.assertEqual(cert.state, "revoked")
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._add_step(case)

    def test_r8_1_certificate_of_someone_else_refused(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self.env["hr.enforcement.investigation"].with_user(self.officer).create(
                {
                    "case_id": case.id,
                    "name": "Inquiry",
                    "step_type": "inquiry",
                    "party_signed": True,
                    "officer_line_ids": [
                        (
                            0,
                            0,
                            {
                                "employee_id": self.officer.employee_id.id,
                                "certificate_id": self.cert[self.officer].id,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "employee_id": self.officer2.employee_id.id,
                                "certificate_id": self.cert[self.outsider].id,
                            },
                        ),
                    ],
                }
            )

    def test_r8_1_validity_judged_on_the_day_of_the_step(self):
        case = self._open_case(date_received=date(2024, 6, 1))
        cert = self.cert[self.officer2]
        cert.write({"date_to": date(2024, 6, 30)})
        self._add_step(case, date="2024-06-30 10:00:00")
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._add_step(case, date="2024-07-02 10:00:00")

    def test_r8_1_handler_needs_valid_certificate(self):
        uncertified = self._make_user("newcomer", "officer", self.department)
        with self.assertRaisesRegex(ValidationError, "R8.1"):
            self._create_case(handler_id=uncertified.employee_id.id)

    def test_r9_3_refusal_to_sign_recorded(self):
        case = self._open_case()
        with self.assertRaisesRegex(ValidationError, "R9.3"):
            self._add_step(case, party_signed=False)
        step = self._add_step(case, party_signed=False, refusal_note="The party refused to sign.")
        self.assertEqual(step.refusal_note, "The party refused to sign.")

    def test_r8_1_steps_only_during_investigation(self):
        case = self._create_case()
        self._approve(case, "case_opening")
        with self.assertRaisesRegex(UserError, "R3.1"):
            self._add_step(case)

    def test_certificate_number_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._make_certificate(self.officer2.employee_id, "CERT-officer1")

    def test_certificate_dates_consistent(self):
        with self.assertRaisesRegex(ValidationError, "expires before"):
            self._make_certificate(
                self.officer2.employee_id, "X-1", date(2026, 1, 2), date(2026, 1, 1)
            )

    def test_employee_shows_valid_certificate(self):
        self.assertEqual(
            self.officer.employee_id.enforcement_certificate_id, self.cert[self.officer]
        )
        self.assertEqual(
            self.env["hr.enforcement.certificate"].search(
                [("state", "=", "valid"), ("id", "=", self.cert[self.officer].id)]
            ),
            self.cert[self.officer],
        )


@tagged("post_install", "-at_install")
class TestOfficerReadsColleagues(EnforcementCase):
    """R8.1 as an officer without HR rights does it: colleagues are read through Odoo's
    public employee profile, which must carry the certificates too."""

    def test_r8_1_officer_without_hr_rights_picks_colleagues_on_a_step(self):
        self.assertFalse(self.officer.has_group("hr.group_hr_user"), "a plain officer")
        case = self._open_case()
        with Form(
            self.env["hr.enforcement.investigation"].with_user(self.officer),
            view="hr_enforcement_record.hr_enforcement_investigation_view_form",
        ) as step:
            step.case_id = case
            step.name = "Inquiry of the site manager"
            step.step_type = "inquiry"
            step.party_signed = True
            for user in (self.officer, self.officer2):
                with step.officer_line_ids.new() as line:
                    line.employee_id = user.employee_id
                    self.assertEqual(line.certificate_id, self.cert[user], "filled in")
        saved = self.env["hr.enforcement.investigation"].search([("case_id", "=", case.id)])
        self.assertEqual(
            set(saved.officer_line_ids.mapped("certificate_number")),
            {"CERT-officer1", "CERT-officer2"},
        )

    def test_r8_1_colleague_certificates_read_over_rpc_as_officer(self):
        employee = self.officer2.employee_id.with_user(self.officer)
        values = employee.read(["enforcement_certificate_ids", "enforcement_certificate_id"])[0]
        self.assertEqual(values["enforcement_certificate_ids"], [self.cert[self.officer2].id])
        self.assertEqual(values["enforcement_certificate_id"][0], self.cert[self.officer2].id)

    def test_plain_employee_reads_every_employee_field_it_may(self):
        """Odoo's TestSelfAccessProfile.test_employee_fields_groups, with our fields added:
        a field of hr.employee without a public twin must carry groups."""
        clerk = new_test_user(self.env, login="clerk", groups="base.group_user")
        employees = self.env["hr.employee"].with_user(clerk)
        employees.search([]).read([])  # Odoo's test: no access error on any field
        readable = employees.fields_get(attributes=["type"])
        self.assertNotIn("enforcement_certificate_ids", readable, "not for a plain employee")
        self.assertNotIn("enforcement_certificate_id", readable)
