from odoo import fields, models

from .hr_enforcement_case import CONFIDENTIALITY


class HrEnforcementApproval(models.Model):
    _inherit = "hr.enforcement.approval"
    # the level asked for is part of what is decided: named once, on creation
    _guard_immutable_fields = frozenset({"new_confidentiality", "admitted_user_id"})

    kind = fields.Selection(
        selection_add=[
            ("access_request", "Access to case records"),
            ("confidentiality", "Lowering of the confidentiality level"),
            ("admission", "Admission to a confidential case"),
            ("disposal", "Disposal of case files"),
        ],
        ondelete={
            "disposal": "cascade",
            "access_request": "cascade",
            "confidentiality": "cascade",
            "admission": "cascade",
        },
    )
    new_confidentiality = fields.Selection(
        CONFIDENTIALITY,
        "Lower the Level To",
        help="For a request to lower a case's confidentiality (R20.1).",
    )
    admitted_user_id = fields.Many2one(
        "res.users",
        "Person to Admit",
        help="For a request to admit a person without clearance to a confidential case (R20.1).",
    )

    def _guard_freezes(self):
        """A request to lower a record's own level is held back only by what freezes that
        level: a sealed record still has its level decided (R20.1, R22.3)."""
        self.ensure_one()
        target = self.sudo()._get_target()
        if (
            self.kind != "confidentiality"
            or not target
            or "confidentiality_raised" not in target._fields
        ):
            return super()._guard_freezes()
        names = {"confidentiality_raised"}
        freezes = list(self._guard_own_freezes())
        for freeze in target._guard_freezes():
            if not freeze.inherit:
                continue
            if freeze.only is not None:
                blocked = names & freeze.only
            else:
                blocked = names - freeze.allowed - target._guard_always_writable
            if blocked:
                freezes.append(freeze)
        return freezes
