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
        ],
        ondelete={
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
