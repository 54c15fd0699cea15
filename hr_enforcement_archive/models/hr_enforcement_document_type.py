from odoo import fields, models

# the standard order of an administrative enforcement case file: the procedure's stages
FILE_PHASES = [
    ("opening", "Opening"),
    ("investigation", "Investigation and evidence"),
    ("notice", "Advance notice, statement and hearing"),
    ("review", "Review and discussion"),
    ("decision", "Decision"),
    ("service", "Service"),
    ("execution", "Execution"),
    ("closing", "Closing"),
]
FILE_PHASE_RANK = {key: rank for rank, (key, _label) in enumerate(FILE_PHASES)}


class HrEnforcementDocumentType(models.Model):
    _inherit = "hr.enforcement.document.type"

    file_phase = fields.Selection(
        FILE_PHASES,
        "Place in the Case File",
        default="investigation",
        required=True,
        help="Where documents of this type go in the case file's standard order: opening, "
        "investigation, notice, review, decision, service, execution, closing (R18.1); "
        "within a stage, by date.",
    )
