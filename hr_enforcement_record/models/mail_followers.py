import functools

from odoo import api, models, tools
from odoo.exceptions import UserError
from odoo.osv import expression


class MailFollowers(models.Model):
    """Who follows an enforcement record is part of it (R20.1): followers of a record the
    user may not read are not found, read or counted."""

    _inherit = "mail.followers"

    @api.model
    @tools.ormcache()
    def _enforcement_models(self):
        """The guarded models, read once per registry (every follower search asks)."""
        return tuple(
            name
            for name in self.env.registry
            if name.startswith("hr.enforcement.")
            and not self.env[name]._abstract
            and hasattr(self.env[name], "_guard_frozen_for")
        )

    @api.model
    def _enforcement_readable_domain(self):
        models_ = self._enforcement_models()
        parts = [[("res_model", "not in", list(models_))]]
        for name in models_:
            Model = self.env[name]
            if Model.has_access("read"):  # followers of models one may not read stay hidden
                parts.append([("res_model", "=", name), ("res_id", "in", Model._search([]))])
        return expression.OR(parts)

    @api.model
    def _enforcement_may_match(self, domain):
        """Whether `domain` may find followers of enforcement records: not when one of its
        top-level conditions (all joined by AND) pins res_model to other models, as every
        thread's own follower list does. Saves Odoo's other threads any cost."""
        domain = domain or []
        if any(leaf in (expression.OR_OPERATOR, expression.NOT_OPERATOR) for leaf in domain):
            return True
        ours = set(self._enforcement_models())
        for leaf in domain:
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "res_model":
                if leaf[1] == "=" and isinstance(leaf[2], str):
                    return leaf[2] in ours
                if leaf[1] == "in" and isinstance(leaf[2], (list, tuple)):
                    return bool(ours & set(leaf[2]))
        return True

    @api.model_create_multi
    def create(self, vals_list):
        """R20.1; 劳动保障监察条例 第九条第三款: a complainant never follows the case — the
        followers of a case are shown to whoever follows it."""
        Case = self.env["hr.enforcement.case"].sudo()  # sudo: who the complainant is
        for vals in vals_list:
            if vals.get("res_model") == Case._name and vals.get("partner_id"):
                case = Case.browse(vals["res_id"])
                if case.complainant_id.id == vals["partner_id"]:
                    raise UserError(
                        self.env._(
                            "The complainant of %(case)s does not follow it: a complainant "
                            "is kept secret (R20.1; 劳动保障监察条例 art. 9).",
                            case=case.name,
                        )
                    )
        return super().create(vals_list)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su and self._enforcement_may_match(domain):
            domain = expression.AND([domain or [], self._enforcement_readable_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self:
            return result
        models_ = self._enforcement_models()
        # sudo: which records they follow, to ask the user's own access below
        enforcement = self.sudo().filtered(lambda f: f.res_model in models_)
        if not enforcement:
            return None
        visible = self.browse(self._search([("id", "in", enforcement.ids)]))
        forbidden = self.browse(enforcement.ids) - visible
        if not forbidden:
            return None
        Rule = self.env["ir.rule"]
        return forbidden, functools.partial(Rule._make_access_error, operation, forbidden)
