from lxml import etree

from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

ROLES = ("officer", "reviewer", "approver", "archivist", "supervisor", "manager")


@tagged("post_install", "-at_install")
class TestEnforcementMenus(TransactionCase):
    """With every hr_enforcement addon installed, each role opens each Enforcement menu:
    its views load and its list reads without an access error (R20.1, R21.1)."""

    def _menu_actions(self, user):
        root = self.env.ref("hr_enforcement_record.hr_enforcement_menu_root")
        menus = self.env["ir.ui.menu"].with_user(user).search([("id", "child_of", root.id)])
        return menus.filtered(lambda m: m.action and m.action._name == "ir.actions.act_window")

    def test_each_role_opens_each_menu(self):
        for role in ROLES:
            user = new_test_user(
                self.env,
                login=f"menu_{role}",
                groups=f"hr_enforcement_record.hr_enforcement_record_group_{role}",
            )
            actions = self._menu_actions(user)
            self.assertTrue(actions, f"{role} sees the Enforcement menus")
            for menu in actions:
                action = menu.action.sudo()
                model = self.env[action.res_model].with_user(user)
                modes = [m for m in action.view_mode.split(",") if m != "activity"]
                with self.subTest(role=role, menu=menu.complete_name):
                    views = model.get_views([(False, mode) for mode in modes])
                    self.assertEqual(set(views["views"]), set(modes))
                    model.web_search_read([], {"display_name": {}}, limit=10)

    def test_supervisor_has_no_configuration(self):
        supervisor = new_test_user(
            self.env,
            login="menu_supervisor_only",
            groups="hr_enforcement_record.hr_enforcement_record_group_supervisor",
        )
        config = self.env.ref("hr_enforcement_record.hr_enforcement_config_menu")
        visible = self.env["ir.ui.menu"].with_user(supervisor)._visible_menu_ids()
        self.assertNotIn(config.id, visible)

    def test_each_role_sees_the_buttons_it_may_use(self):
        """Archivists are not offered the officers' printing nor a manual close; officers
        are offered printing but not closing (issue: roles fit)."""
        buttons = {}
        for role in ("officer", "archivist", "manager"):
            user = new_test_user(
                self.env,
                login=f"buttons_{role}",
                groups=f"hr_enforcement_record.hr_enforcement_record_group_{role}",
            )
            arch = self.env["hr.enforcement.case"].with_user(user).get_views([(False, "form")])
            form = etree.fromstring(arch["views"]["form"]["arch"])
            buttons[role] = {
                "print" if node.get("name") == "action_print_service_receipts" else "close"
                for node in form.iter("button")
                if node.get("name") == "action_print_service_receipts"
                or (node.get("name") == "action_close" and "archiving" in node.get("invisible"))
            }
        self.assertEqual(buttons["officer"], {"print"})
        self.assertEqual(buttons["archivist"], set())
        self.assertIn("close", buttons["manager"])


@tagged("post_install", "-at_install")
class TestDocumentCatalogue(TransactionCase):
    def test_r3_2_catalogue_holds_every_kind_of_text_record(self):
        """Enforcement documents issued to parties, investigation documents, appraisal
        opinions, expert reports, hearing reports, case discussion minutes, internal
        approval forms and service receipts are all text records of the catalogue."""
        codes = set(self.env["hr.enforcement.document.type"].search([]).mapped("code"))
        required = {
            "decision",  # issued to the party
            "correction_order",
            "inquiry",  # investigation documents
            "inspection",
            "appraisal",
            "expert_report",
            "hearing",
            "discussion_minutes",
            "approval_form",
            "service_receipt",
        }
        self.assertFalse(required - codes, "missing from the catalogue")
        refs = self.env["hr.enforcement.document.type"].search(
            [("code", "in", ["appraisal", "expert_report", "discussion_minutes"])]
        )
        self.assertTrue(all("R3.2" in ref for ref in refs.mapped("requirement_ref")))


# the demo users, with exactly their demo groups (README: each logs in with its login)
DEMO_LOGINS = ("zhangwei", "wangqiang", "gaofeng", "liuyang", "chenjing", "zhaomin")


@tagged("post_install", "-at_install")
class TestPrintMenuPerRole(TransactionCase):
    """Every printout, taken from the data so that one added later is covered, is in the
    Print menu of its records for each demo role, prints as that role from a record the
    role may read, and is refused — as for a record that does not exist — for one it may
    not read (R20.1, R22.2)."""

    def test_r20_1_each_role_prints_what_it_may_read_and_nothing_else(self):
        Report = self.env["ir.actions.report"]
        reports = Report.search([("report_file", "=", "hr_enforcement_reportlab")])
        users = self.env["res.users"].search([("login", "in", DEMO_LOGINS)])
        self.assertEqual(len(users), len(DEMO_LOGINS))
        refused = 0
        for report in reports:
            everything = self.env[report.model].search([], order="id desc")
            printers = []
            for user in users:
                Model = self.env[report.model].with_user(user)
                if not Model.browse().has_access("read"):
                    # a model the role may not read at all: nothing of it prints
                    if everything:
                        with self.assertRaises(AccessError):
                            Report.with_user(user)._render_qweb_pdf(
                                report.report_name, everything[:1].ids
                            )
                        refused += 1
                    continue
                readable = Model.search([], order="id desc")
                menu = Report.with_user(user).get_bindings(report.model)["report"]
                with self.subTest(report=report.report_name, user=user.login):
                    if readable:
                        self.assertIn(report.id, [action["id"] for action in menu])
                        if self._prints(Report.with_user(user), report, readable):
                            printers.append(user.login)
                    hidden = everything - readable.sudo()
                    if hidden:
                        with self.assertRaises(MissingError):
                            Report.with_user(user)._render_qweb_pdf(
                                report.report_name, hidden[:1].ids
                            )
                        refused += 1
            if not printers:
                # only when no record has such a document yet (no refused application in
                # the demo, say): then nobody, administrators included, prints one
                self.assertFalse(
                    self._prints(Report, report, everything),
                    f"{report.report_name}: exists, yet no role prints it",
                )
        self.assertGreater(refused, 0, "need-to-know refuses someone something")

    def _prints(self, Report, report, readable):
        """Whether one of the role's records prints; a record that has no such document
        yet (a counter document before its step, a receipt not issued) refuses with the
        reason, any other error fails the test."""
        for record in readable:
            try:
                pdf, _kind = Report._render_qweb_pdf(report.report_name, record.ids)
            except UserError as error:
                self.assertNotIsInstance(error, MissingError, "a readable record")
                continue
            self.assertTrue(pdf.startswith(b"%PDF"))
            return True
        return False
