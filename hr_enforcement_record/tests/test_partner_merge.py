from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EnforcementCase


@tagged("post_install", "-at_install")
class TestPartnerMerge(EnforcementCase):
    """Odoo's contact merge writes by SQL: contacts named by enforcement records are refused,
    for administrators too, so that no case's party or complainant changes silently (R22.3)."""

    def _merge(self, partners, user):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .create({"partner_ids": [(6, 0, partners.ids)], "dst_partner_id": partners[-1].id})
        )
        wizard.action_merge()

    def test_r22_3_the_party_of_a_case_is_never_merged(self):
        case = self._create_case()
        party = case.partner_id
        copy = self.env["res.partner"].create({"name": party.name, "email": party.email})
        admin = self.env.ref("base.user_admin")
        for partners in (party | copy, copy | party):
            with self.assertRaisesRegex(UserError, "never merged"):
                self._merge(partners, admin)
        self.assertTrue(party.exists() and copy.exists())
        self.assertEqual(case.partner_id, party)

    def test_r22_3_contacts_outside_enforcement_merge_as_before(self):
        first = self.env["res.partner"].create({"name": "Zhao Lei", "email": "zl@example.com"})
        second = self.env["res.partner"].create({"name": "Zhao Lei", "email": "zl@example.com"})
        self._merge(first | second, self.env.ref("base.user_admin"))
        self.assertEqual(len((first | second).exists()), 1, "merged into one")
