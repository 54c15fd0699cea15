from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HrEnforcementApprovalMixin(models.AbstractModel):
    """Gives a model recorded approval requests (R21.1).

    A model that inherits it lists its request kinds in `_approval_kinds`, proposes default
    people in `_get_approval_defaults()`, and reacts in `_on_approval_approved()` /
    `_on_approval_rejected()`. The service and archive addons attach their own steps this way.
    """

    _name = "hr.enforcement.approval.mixin"
    _description = "Enforcement Approval Mixin"

    _approval_kinds = ()

    approval_ids = fields.One2many(
        "hr.enforcement.approval",
        "res_id",
        string="Approval Requests",
        domain=lambda self: [("res_model", "=", self._name)],
        copy=False,
    )
    approval_pending_count = fields.Integer(compute="_compute_approval_pending_count")

    @api.depends("approval_ids.state")
    def _compute_approval_pending_count(self):
        for record in self:
            record.approval_pending_count = len(
                record.approval_ids.filtered(
                    lambda r: r.state in ("draft", "submitted", "reviewed")
                )
            )

    def _approval_is_granted(self, kind):
        self.ensure_one()
        return any(r.kind == kind and r.state == "approved" for r in self.approval_ids)

    def _get_approval_defaults(self, kind):
        """Default reviewer and approver (res.users) for a new request of `kind`."""
        return {}

    def _check_approval_request(self, request):
        """Refuse a request that does not fit this record; extended by each model."""
        if request.kind not in self._approval_kinds:
            raise UserError(
                _("%(kind)s cannot be requested here.", kind=request.name or request.kind)
            )
        open_same = self.approval_ids.filtered(
            lambda r: (
                r.kind == request.kind
                and r != request
                and r.state in ("draft", "submitted", "reviewed")
            )
        )
        if open_same:
            raise UserError(_("A request for %(kind)s is already under way.", kind=request.name))

    def _check_approval_grant(self, request):
        """Hook: refuse, before the approver's step is taken, to grant `request` while
        what it decides does not hold (a gate that closed since it was proposed)."""

    def _on_approval_approved(self, request):
        """Hook: a request of this record was approved."""

    def _on_approval_rejected(self, request):
        """Hook: a request of this record was rejected."""

    def action_request_approval(self):
        """Open a new draft request; the kind comes from the button's context."""
        self.ensure_one()
        kind = self.env.context.get("approval_kind")
        defaults = self._get_approval_defaults(kind)
        context = {
            "default_res_model": self._name,
            "default_res_id": self.id,
            "default_kind": kind,
        }
        context.update({f"default_{key}": value for key, value in defaults.items()})
        return {
            "type": "ir.actions.act_window",
            "name": _("Approval Request"),
            "res_model": "hr.enforcement.approval",
            "view_mode": "form",
            "target": "current",
            "context": context,
        }

    def action_view_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_enforcement_record.hr_enforcement_approval_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"default_res_model": self._name, "default_res_id": self.id}
        return action
