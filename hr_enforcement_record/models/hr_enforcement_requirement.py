from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hr_enforcement_case import STAGES, case_selection


class HrEnforcementRequirement(models.Model):
    """One line of the completeness matrix (R8–R17): for a type of case (or every type),
    the record that must exist before the case leaves `stage`. Shipped as data, each line
    citing its requirement ID; managers adjust it."""

    _name = "hr.enforcement.requirement"
    _description = "Required Record"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "stage_sequence, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    enforcement_type = fields.Selection(
        case_selection("enforcement_type"),
        help="Empty: every type of case.",
    )
    stage = fields.Selection(
        [stage for stage in STAGES if stage[0] not in ("closed", "cancelled")],
        required=True,
        help="The case cannot leave this stage while the record is missing and not excused.",
    )
    stage_sequence = fields.Integer(compute="_compute_stage_sequence", store=True)
    origin = fields.Selection(
        case_selection("origin"),
        help="Empty: cases of every origin.",
    )
    document_type_id = fields.Many2one(
        "hr.enforcement.document.type",
        ondelete="restrict",
        help="The text record that satisfies the line.",
    )
    media_type = fields.Selection(
        lambda self: (
            self.env["hr.enforcement.av.record"]
            ._fields["media_type"]
            ._description_selection(self.env)
        ),
        "AV Record",
        help="The kind of audio-visual record that satisfies the line.",
    )
    deliberation_kind = fields.Selection(
        lambda self: (
            self.env["hr.enforcement.deliberation"]._fields["kind"]._description_selection(self.env)
        ),
        "Deliberation",
        help="The deliberation that satisfies the line (legal review, discussion).",
    )
    condition = fields.Selection(
        [
            ("penalty", "A penalty is proposed"),
            ("treatment", "A handling decision is proposed"),
            ("hearing", "A hearing was held"),
            ("legal_review", "Legal review is required"),
            ("collective", "Collective discussion is required"),
        ],
        help="Empty: always, for the cases of its type and origin.",
    )
    requirement_ref = fields.Char("Requirement", required=True)

    @api.constrains("document_type_id", "media_type", "deliberation_kind")
    def _check_record_kind(self):
        for requirement in self:
            kinds = [
                requirement.document_type_id,
                requirement.media_type,
                requirement.deliberation_kind,
            ]
            if sum(bool(kind) for kind in kinds) != 1:
                raise ValidationError(
                    _(
                        "%(name)s: name either a document type, a kind of AV record or a "
                        "deliberation.",
                        name=requirement.name,
                    )
                )

    @api.depends("stage")
    def _compute_stage_sequence(self):
        # the case's own stage order: _get_missing_requirements compares against it
        order = [key for key, _label in STAGES]
        for requirement in self:
            requirement.stage_sequence = order.index(requirement.stage)
