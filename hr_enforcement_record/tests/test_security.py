from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestSecurity(EnforcementCase):
    """R20.1, R21.1: who sees and changes which case; need-to-know on identity numbers."""

    def test_r20_1_officers_register_parties_but_not_the_address_book(self):
        """An officer registers a new party (organisation with its USCC, person with an ID
        card), validated, and changes only the parties they registered (R20.1)."""
        Partner = self.env["res.partner"].with_user(self.officer)
        company = Partner.create(
            {
                "name": "大连某劳务派遣有限公司",
                "is_company": True,
                "enforcement_id_type": "uscc",
                "enforcement_id_number_known": "91210213MA0QD6P213",
            }
        )
        person = Partner.create(
            {
                "name": "王某",
                "enforcement_id_type": "ric",
                "enforcement_id_number_known": "11010519491231002X",
            }
        )
        company.write({"phone": "0411-87654321"})
        self.assertEqual(person.enforcement_id_number_known, "11010519491231002X")
        case = self._create_case(partner_id=company.id)
        self.assertEqual(case.partner_id, company)
        with self.assertRaises(ValidationError):
            Partner.create(
                {"name": "Bad", "enforcement_id_type": "uscc", "enforcement_id_number_known": "123"}
            )
        for other in (self.party, self.reviewer.partner_id):
            with self.subTest(other=other.name), self.assertRaises(AccessError):
                other.with_user(self.officer).write({"phone": "110"})
        with self.assertRaises(AccessError):
            company.with_user(self.officer).unlink()
        self.party.with_user(self.manager).write({"phone": "0411-1"})

    def test_r20_1_officer_sees_department_and_own_cases_only(self):
        case = self._create_case()
        Case = self.env["hr.enforcement.case"]
        self.assertIn(case, Case.with_user(self.officer2).search([]), "same department")
        self.assertNotIn(case, Case.with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            case.with_user(self.outsider).read(["subject"])
        case_open = self._open_case()
        self._add_step(case_open, officers=(self.officer, self.outsider))
        self.assertIn(case_open, Case.with_user(self.outsider).search([]), "officer on the case")

    def test_r20_1_supervisor_reads_all_changes_nothing(self):
        case = self._create_case()
        self.assertEqual(case.with_user(self.supervisor).subject, "Unpaid wages")
        with self.assertRaises(AccessError):
            case.with_user(self.supervisor).write({"subject": "x"})
        with self.assertRaises(AccessError):
            self.env["hr.enforcement.case"].with_user(self.supervisor).create(self._case_values())

    def test_r21_1_reviewer_reads_other_departments(self):
        case = (
            self.env["hr.enforcement.case"]
            .with_user(self.manager)
            .create(
                self._case_values(
                    department_id=self.other_department.id, handler_id=self.outsider.employee_id.id
                )
            )
        )
        self.assertEqual(case.with_user(self.reviewer).subject, "Unpaid wages")

    def test_r20_1_identity_number_masked_without_need_to_know(self):
        """R20.1: the people on the party's case read the number; an officer of another
        department, a supervisor or an archivist sees it masked and cannot search by it."""
        number = "91210213MA0QD6P213"
        party = self.party.with_user(self.supervisor)
        self.assertEqual(party.enforcement_id_number_masked, "912***********P213")
        with self.assertRaises(AccessError):
            party.read(["enforcement_id_number"])
        self._create_case(partner_id=self.party.id)
        self.assertEqual(self.party.with_user(self.officer).enforcement_id_number_known, number)
        outsider = self.party.with_user(self.outsider)
        self.assertEqual(outsider.enforcement_id_number_known, "912***********P213")
        Partner = self.env["res.partner"].with_user(self.outsider)
        for attempt in (
            lambda: Partner.search([("enforcement_id_number", "=like", "9121%")]),
            lambda: Partner.search([("enforcement_id_number_known", "=like", "9121%")]),
            lambda: Partner.search([], order="enforcement_id_number"),
            lambda: Partner.read_group([], ["id:count"], ["enforcement_id_number"]),
        ):
            with self.assertRaises(UserError):
                attempt()
        self.assertIn(self.party, Partner.search([("enforcement_id_number_known", "=", number)]))
        # even with contact rights, a number one may not see is not overwritten
        self.outsider.groups_id = [(4, self.env.ref("base.group_partner_manager").id)]
        with self.assertRaisesRegex(AccessError, "R20.1"):
            outsider.write({"enforcement_id_number_known": "91210213MA10TY9E3G"})

    def test_identity_number_validated(self):
        with self.assertRaisesRegex(ValidationError, "not a valid"):
            self.env["res.partner"].create(
                {
                    "name": "Bad",
                    "enforcement_id_type": "uscc",
                    "enforcement_id_number": "91210213MA0QD6P214",
                }
            )
        with self.assertRaisesRegex(ValidationError, "not a valid"):
            self.env["res.partner"].create(
                {"name": "Bad", "enforcement_id_type": "ric", "enforcement_id_number": "12345"}
            )

    def test_multi_company_isolation(self):
        case = self._create_case()
        company2 = self.env["res.company"].create({"name": "Other Bureau"})
        stranger = self._make_user("stranger", "manager", self.department)
        stranger.write({"company_ids": [(6, 0, company2.ids)], "company_id": company2.id})
        self.assertNotIn(case, self.env["hr.enforcement.case"].with_user(stranger).search([]))

    def test_r21_1_officer_sees_only_requests_he_is_on(self):
        case = self._create_case()
        request = self._approve(case, "case_opening")
        Approval = self.env["hr.enforcement.approval"]
        self.assertIn(request, Approval.with_user(self.officer).search([]))
        self.assertNotIn(request, Approval.with_user(self.outsider).search([]))
        self.assertIn(request, Approval.with_user(self.supervisor).search([]))

    def test_zh_cn_error_messages(self):
        """Users read Chinese: a rule's error reaches them translated."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["hr_enforcement_record"], ["zh_CN"])
        case = self._create_case()
        with self.assertRaises(Exception) as caught:
            case.with_user(self.officer).with_context(lang="zh_CN").action_start_investigation()
        self.assertIn("立案", str(caught.exception))


@tagged("post_install", "-at_install")
class TestFieldsOnOdooModels(EnforcementCase):
    """Fields the addons add to Odoo's own models carry groups (Odoo's hr demands it of
    hr.employee; everywhere it keeps them off portal pages and plain employees), and those
    added to hr.employee have their public twin, or officers without HR rights cannot read
    their colleagues (R8.1). Generated from the registry: a field added later is covered."""

    def test_r20_1_every_field_added_to_an_odoo_model_has_groups(self):
        added = [
            (model, name, field)
            for model in self.env.registry
            if not model.startswith("hr.enforcement.")
            for name, field in self.env[model]._fields.items()
            if (field._module or "").startswith("hr_enforcement")
        ]
        self.assertTrue(added, "the addons do extend Odoo's models")
        for model, name, field in added:
            with self.subTest(model=model, field=name):
                self.assertTrue(field.groups, f"{model}.{name} has no groups")

    def test_r8_1_employee_fields_have_public_twins(self):
        public = self.env["hr.employee.public"]._fields
        for name, field in self.env["hr.employee"]._fields.items():
            if (field._module or "").startswith("hr_enforcement"):
                self.assertIn(name, public, f"hr.employee.{name} has no public twin")
