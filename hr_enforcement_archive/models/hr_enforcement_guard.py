from odoo import api, models

OPEN = "('public', 'internal')"
CLEARED = "user.has_group('hr_enforcement_archive.group_cleared')"
# models of this addon that officers see by department and by case, like the record addon's
DEPARTMENT_RULE_MODELS = (
    "hr.enforcement.case.file",
    "hr.enforcement.case.file.item",
    "hr.enforcement.archive.check",
    "hr.enforcement.access.request",
    "hr.enforcement.case.file.transfer",
)
READ_ALL_GROUPS = ("group_reviewer", "group_legal_review", "group_archivist", "group_supervisor")


class HrEnforcementGuard(models.AbstractModel):
    _inherit = "hr.enforcement.guard"

    @api.model
    def _need_to_know_models(self):
        """(model, path to its case) for every model of the enforcement addons that holds
        a case's content, read from the registry so that a model added later is covered."""
        result = []
        for name in sorted(self.env.registry):
            Model = self.env[name]
            if not name.startswith("hr.enforcement.") or Model._abstract or Model._transient:
                continue
            path = (
                ""
                if name == "hr.enforcement.case"
                else getattr(Model, "_guard_case_field", "case_id")
            )
            if path is None or (path and not self._path_reaches_case(Model, path)):
                continue
            result.append((Model, path))
        return result

    @api.model
    def _path_reaches_case(self, Model, path):
        for part in path.split("."):
            field = Model._fields.get(part)
            if not field or field.type != "many2one":
                return False
            Model = self.env[field.comodel_name]
        return Model._name == "hr.enforcement.case"

    @api.model
    def _need_to_know_domain(self, Model, path):
        prefix = f"{path}." if path else ""
        condition = f"('{prefix}confidentiality', 'in', {OPEN})"
        if path and "confidentiality" in Model._fields and Model._fields["confidentiality"].store:
            condition = f"'&', ('confidentiality', 'in', {OPEN}), {condition}"
        visible = f"'|', {condition}, ('{prefix}member_user_ids', 'in', [user.id])"
        if path:
            # a record tied to no case (an application's approval, a scan of a forged code
            # that names no service) holds no case content; Odoo reads ('a.b', '=', False)
            # as "an a whose b is empty", so every link of the path is tested on its own
            parts = path.split(".")
            for end in range(len(parts), 0, -1):
                visible = f"'|', ('{'.'.join(parts[:end])}', '=', False), {visible}"
        return f"[(1, '=', 1)] if {CLEARED} else [{visible}]"

    @api.model
    def _setup_need_to_know_rules(self):
        """R20.1: one global rule per model holding case content — a confidential case, or
        a confidential record, is seen only by the people on the case and by cleared
        staff, whatever the way in (search, read_group, name_search, export, related
        fields, routes). Run at each install and update."""
        wanted = set()
        for Model, path in self._need_to_know_models():
            key = Model._table
            wanted.add(f"rule_{key}_need_to_know")
            self._ensure_rule(
                f"rule_{key}_need_to_know",
                {
                    "name": f"{Model._description}: need-to-know (R20.1)",
                    "model_id": self.env["ir.model"]._get_id(Model._name),
                    "domain_force": self._need_to_know_domain(Model, path),
                    "groups": [(5, 0, 0)],
                },
            )
        stale = self.env["ir.model.data"].search(
            [
                ("module", "=", "hr_enforcement_archive"),
                ("model", "=", "ir.rule"),
                ("name", "=like", "rule_%_need_to_know"),
                ("name", "not in", list(wanted)),
            ]
        )
        self.env["ir.rule"].browse(stale.mapped("res_id")).unlink()
        for name in DEPARTMENT_RULE_MODELS:
            self._setup_department_rules(self.env[name])
        self._setup_wizard_rules()

    @api.model
    def _setup_wizard_rules(self):
        """R20.1: a dialog in progress (a transient record of the enforcement addons) is its
        author's alone — it names a case, a service or violations and what is being done to
        them; one global rule per wizard, administrators included, generated from the
        registry so that a wizard added later is covered."""
        for name in self.env.registry:
            Model = self.env[name]
            if not Model._transient or not (Model._original_module or "").startswith(
                "hr_enforcement"
            ):
                continue
            self._ensure_rule(
                f"rule_{Model._table}_authors_own",
                {
                    "name": f"{Model._description}: its author's only (R20.1)",
                    "model_id": self.env["ir.model"]._get_id(Model._name),
                    "domain_force": "[('create_uid', '=', user.id)]",
                    "groups": [(5, 0, 0)],
                },
            )

    @api.model
    def _setup_department_rules(self, Model):
        path = Model._guard_case_field
        case = f"{path}." if path else ""
        officer = "hr_enforcement_record.hr_enforcement_record_group_officer"
        rules = {
            "officer": (
                (
                    f"['|', ('{case}department_id', 'child_of', "
                    "user.employee_ids.department_id.ids), "
                    f"('{case}member_user_ids', 'in', [user.id])]"
                ),
                [officer],
                True,
            ),
            "read_all": (
                "[(1, '=', 1)]",
                [f"hr_enforcement_record.hr_enforcement_record_{g}" for g in READ_ALL_GROUPS],
                False,
            ),
            "manager": (
                "[(1, '=', 1)]",
                ["hr_enforcement_record.hr_enforcement_record_group_manager"],
                True,
            ),
        }
        if Model._name.startswith("hr.enforcement.case.file") or Model._name.endswith("check"):
            # archivists keep the case files of every department (R18.3)
            rules["read_all"][1].remove(
                "hr_enforcement_record.hr_enforcement_record_group_archivist"
            )
            rules["archivist"] = (
                "[(1, '=', 1)]",
                ["hr_enforcement_record.hr_enforcement_record_group_archivist"],
                True,
            )
        for role, (domain, groups, may_write) in rules.items():
            self._ensure_rule(
                f"rule_{Model._table}_{role}",
                {
                    "name": f"{Model._description}: {role}",
                    "model_id": self.env["ir.model"]._get_id(Model._name),
                    "domain_force": domain,
                    "groups": [(6, 0, [self.env.ref(g).id for g in groups])],
                    "perm_write": may_write,
                    "perm_create": may_write,
                    "perm_unlink": may_write,
                },
            )

    @api.model
    def _ensure_rule(self, xml_name, values):
        xmlid = f"hr_enforcement_archive.{xml_name}"
        rule = self.env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.write(values)
            return rule
        rule = self.env["ir.rule"].create(values)
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": xmlid, "record": rule, "noupdate": True}]
        )
        return rule
