from odoo import fields, models


class HrEnforcementDocumentType(models.Model):
    """The catalogue of enforcement documents (R3.2, R9.1), shipped as data and editable by
    managers: what each document needs (two certified officers, an AV record, preservation
    facts, a legal basis and remedies)."""

    _name = "hr.enforcement.document.type"
    _description = "Enforcement Document Type"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    requirement_ref = fields.Char("Requirement", help="The requirement IDs behind this type.")
    needs_officers = fields.Boolean(
        "Needs Two Certified Officers", help="Investigation records (R8.1)."
    )
    needs_av = fields.Boolean(
        "Needs an AV Record",
        help="On-site inspection, sampling and hearings are AV-recorded, or the reason why "
        "not is written (R10.1).",
    )
    is_preservation = fields.Boolean("Evidence Preservation", help="R11.1")
    is_decision = fields.Boolean("Decision Document", help="R13.1")
    needs_party_signature = fields.Boolean(help="Signed by the party, or refusal recorded (R9.2).")

    _sql_constraints = [("code_uniq", "unique(code)", "The code of a document type is unique.")]
