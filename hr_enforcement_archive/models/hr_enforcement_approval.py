from odoo import fields, models

from .hr_enforcement_case import CONFIDENTIALITY


class HrEnforcementApproval(models.Model):
    _inherit = "hr.enforcement.approval"
    # the level asked for is part of what is decided: named once, on creation
    _guard_immutable_fields = frozenset({"new_confidentiality"})

    kind = fields.Selection(
        selection_add=[
            ("access_request", "Access to case records"),
            ("confidentiality", "Lowering of the confidentiality level"),
        ],
        ondelete={"access_request": "cascade", "confidentiality": "cascade"},
    )
    new_confidentiality = fields.Selection(
        CONFIDENTIALITY,
        "Lower the Level To",
        help="For a request to lower a case's confidentiality (R20.1).",
    )
