"""Contract tests of the shared mechanisms on models of their own (R3.1, R21.1, R22.3):
what a model gets by declaring the guard's attributes, the approval mixin's kinds or the
record mixin, proven apart from any business model with odoo-test-helper's
FakeModelLoader. A model added later that declares the same gets the same."""

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import GuardError
from odoo.addons.hr_enforcement_record.tests.common import EnforcementCase

FAKE_MODELS = (
    "hr.enforcement.test.parent",
    "hr.enforcement.test.child",
    "hr.enforcement.test.line",
    "hr.enforcement.test.log",
    "hr.enforcement.test.approvable",
    "hr.enforcement.test.record",
)


@tagged("post_install", "-at_install")
class TestMixinContracts(EnforcementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import (
            ApprovableThing,
            CaseRecord,
            GuardedChild,
            GuardedLine,
            GuardedLog,
            GuardedParent,
        )

        cls.loader.update_registry(
            (GuardedParent, GuardedChild, GuardedLine, GuardedLog, ApprovableThing, CaseRecord)
        )
        cls.addClassCleanup(cls.loader.restore_registry)
        # every internal user may use the fake models; the rules under test are the guard's
        officer_group = cls.env.ref("hr_enforcement_record.hr_enforcement_record_group_officer")
        for name in FAKE_MODELS:
            cls.env["ir.model.access"].create(
                {
                    "name": f"test {name}",
                    "model_id": cls.env["ir.model"]._get_id(name),
                    "group_id": cls.env.ref("base.group_user").id,
                    "perm_read": True,
                    "perm_write": True,
                    "perm_create": True,
                    "perm_unlink": True,
                }
            )
        # the child lock: only officers may change a parent (supervisors only read)
        cls.env["ir.rule"].create(
            {
                "name": "test: officers change parents",
                "model_id": cls.env["ir.model"]._get_id("hr.enforcement.test.parent"),
                "domain_force": "[(0, '=', 1)]",
                "groups": [(4, cls.env.ref("base.group_user").id)],
                "perm_read": False,
            }
        )
        cls.env["ir.rule"].create(
            {
                "name": "test: officers change parents (officers)",
                "model_id": cls.env["ir.model"]._get_id("hr.enforcement.test.parent"),
                "domain_force": "[(1, '=', 1)]",
                "groups": [(4, officer_group.id)],
                "perm_read": False,
            }
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.everyone = (cls.officer, cls.manager, cls.admin)

    # ------------------------------------------------------------------ the guard
    def test_r22_3_fields_the_application_owns_are_refused_to_every_user(self):
        """Readonly fields are the application's, on create and write, administrators
        included; create fields are given once; immutable fields never change; context
        keys a client sends do not unlock them."""
        Parent = self.env["hr.enforcement.test.parent"]
        for user in self.everyone:
            with self.assertRaisesRegex(GuardError, "R99.1"):
                Parent.with_user(user).create({"name": "P", "code": "forged"})
            with self.assertRaisesRegex(GuardError, "R99.1"):
                Parent.with_user(user).with_context(hr_enforcement_app=True).create(
                    {"name": "P", "code": "forged"}
                )
        parent = Parent.with_user(self.officer).create(
            {"name": "P", "reference": "R-1", "origin": "counter"}
        )
        self.assertEqual(parent.origin, "counter", "a create field is given once")
        for values in ({"code": "x"}, {"origin": "x"}, {"reference": "R-2"}, {"state": "closed"}):
            for user in self.everyone:
                with self.assertRaisesRegex(GuardError, "R99.1"):
                    parent.with_user(user).write(values)
        parent._app().write({"code": "drawn"})
        self.assertEqual(parent.code, "drawn", "the application writes what it owns")
        with self.assertRaisesRegex(GuardError, "R99.1"):
            parent.with_user(self.officer).copy({"code": "copied"})

    def test_r22_3_a_closed_record_and_its_children_are_frozen(self):
        """Leaving its open states freezes a record but for its closed-writable fields;
        its children can be neither added, changed nor removed (the child lock)."""
        parent = self.env["hr.enforcement.test.parent"].with_user(self.officer).create({})
        child = (
            self.env["hr.enforcement.test.child"]
            .with_user(self.officer)
            .create({"parent_id": parent.id, "name": "c"})
        )
        parent._app().write({"state": "closed"})
        parent.with_user(self.officer).write({"note": "still written once closed"})
        for user in self.everyone:
            with self.assertRaisesRegex(GuardError, "R99.1"):
                parent.with_user(user).sudo().write({"name": "changed"})
            with self.assertRaisesRegex(GuardError, "locked"):
                child.with_user(user).sudo().write({"name": "changed"})
            with self.assertRaisesRegex(GuardError, "locked"):
                child.with_user(user).sudo().unlink()
            with self.assertRaisesRegex(GuardError, "cannot be added"):
                child.with_user(user).sudo().create({"parent_id": parent.id})

    def test_r22_3_only_who_may_change_the_parent_changes_its_children(self):
        parent = self.env["hr.enforcement.test.parent"].with_user(self.officer).create({})
        Child = self.env["hr.enforcement.test.child"]
        child = Child.with_user(self.officer).create({"parent_id": parent.id})
        with self.assertRaises(AccessError):
            Child.with_user(self.supervisor).create({"parent_id": parent.id})
        with self.assertRaises(AccessError):
            child.with_user(self.supervisor).write({"name": "x"})
        with self.assertRaises(AccessError):
            child.with_user(self.supervisor).unlink()

    def test_r22_3_application_made_and_append_only_records(self):
        Line = self.env["hr.enforcement.test.line"]
        for user in self.everyone:
            with self.assertRaisesRegex(GuardError, "R99.2"):
                Line.with_user(user).create({"name": "made up"})
        # a client's recordset: the application's context stays with what it returned
        line = Line.browse(Line._app().create({"name": "drawn"}).id)
        line.with_user(self.officer).write({"name": "ticked"})
        with self.assertRaisesRegex(GuardError, "R99.2"):
            line.with_user(self.admin).unlink()
        log = self.env["hr.enforcement.test.log"]._app().create({"name": "written once"})
        for call in (lambda: log._app().write({"name": "x"}), lambda: log._app().unlink()):
            with self.assertRaisesRegex(GuardError, "never changed or deleted"):
                call()

    # ------------------------------------------------------------------ approvals
    def _request(self, thing, kind="application_extension"):
        return (
            self.env["hr.enforcement.approval"]
            .with_user(self.officer)
            .create(
                {
                    "res_model": thing._name,
                    "res_id": thing.id,
                    "kind": kind,
                    "proposal": "Because.",
                    "reviewer_id": self.reviewer.id,
                    "approver_id": self.approver.id,
                }
            )
        )

    def test_r21_1_the_approval_chain_on_any_model(self):
        """Only the declared kinds are asked for, one at a time; each step is taken by the
        person named for it with an opinion; the model hears the decision once, and may
        refuse to be granted what no longer holds."""
        thing = self.env["hr.enforcement.test.approvable"].with_user(self.officer).create({})
        with self.assertRaisesRegex(UserError, "cannot be requested"):
            self._request(thing, kind="decision")
        request = self._request(thing)
        with self.assertRaisesRegex(UserError, "already under way"):
            self._request(thing)
        request.action_submit()
        with self.assertRaises(AccessError):
            request.with_user(self.approver)._transition("reviewed", review_opinion="x")
        with self.assertRaises(ValidationError):
            request.with_user(self.reviewer)._transition("reviewed")
        request.with_user(self.reviewer)._transition("reviewed", review_opinion="Lawful.")
        thing.sudo().veto = True
        with self.assertRaisesRegex(ValidationError, "vetoed"):
            request.with_user(self.approver)._transition("approved", approval_opinion="Yes.")
        thing.sudo().veto = False
        request.with_user(self.approver)._transition("approved", approval_opinion="Yes.")
        self.assertEqual((request.state, thing.granted, thing.refused), ("approved", 1, 0))
        self.assertTrue(thing._approval_is_granted("application_extension"))
        with self.assertRaisesRegex(UserError, "R21.1"):
            request.with_user(self.approver)._transition("rejected", approval_opinion="No.")
        with self.assertRaisesRegex(UserError, "R21.1"):
            request.with_user(self.officer).unlink()

    # ------------------------------------------------------------------ case records
    def test_r22_3_a_case_record_is_logged_sealed_and_corrected_by_a_new_record(self):
        """A record of the record mixin takes its case's stage and is logged on creation;
        once sealed nobody changes or deletes it, administrators included, but for its
        sealed-writable fields; a correction is a new record naming the one it corrects;
        it never moves to another case."""
        case = self._open_case()
        Record = self.env["hr.enforcement.test.record"]
        record = Record.with_user(self.officer).create({"case_id": case.id, "name": "Note"})
        self.assertEqual(record.stage, case.stage)
        created = self.env["hr.enforcement.event"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        self.assertEqual(created.event_type, "created")
        with self.assertRaisesRegex(GuardError, "R22.3"):
            record.with_user(self.officer).write({"case_id": self._open_case().id})
        record.with_user(self.officer).action_seal()
        record.with_user(self.officer).write({"remark": "sealed-writable"})
        for user in self.everyone:
            with self.assertRaisesRegex(GuardError, "sealed"):
                record.with_user(user).sudo().write({"name": "rewritten"})
            with self.assertRaisesRegex(GuardError, "sealed"):
                record.with_user(user).sudo().unlink()
        action = record.with_user(self.officer).action_correct()
        correction = Record.browse(action["res_id"])
        self.assertEqual((correction.corrects_id, correction.sealed), (record, False))
        correction.with_user(self.officer).write({"name": "Note, corrected"})
