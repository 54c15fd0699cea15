from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrEnforcementDeliberation(models.Model):
    """Legal review (法制审核), expert argumentation or collective discussion of a decision
    (R13.2, R13.3, R13.4), with its participants, minutes and opinion.

    Recorded while the case is at review & decision; frozen once the case is decided.
    """

    _name = "hr.enforcement.deliberation"
    _description = "Decision Deliberation"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_open_stages = ("decision",)
    _guard_event_on_create = "deliberation"
    _order = "date desc, id desc"

    case_id = fields.Many2one("hr.enforcement.case", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    kind = fields.Selection(
        [
            ("legal_review", "Legal review"),
            ("expert", "Expert argumentation"),
            ("collective", "Collective discussion"),
        ],
        required=True,
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    participant_ids = fields.Many2many("hr.employee", string="Participants")
    external_participants = fields.Text(help="Experts or others from outside the bureau.")
    minutes = fields.Html()
    opinion = fields.Text(required=True, tracking=True)
    conclusion = fields.Selection(
        [("agree", "Agree"), ("modify", "Agree with changes"), ("disagree", "Disagree")],
        required=True,
        tracking=True,
    )

    def _guard_event_texts(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        conclusions = dict(self._fields["conclusion"]._description_selection(self.env))
        description = f"{kinds[self.kind]}: {conclusions[self.conclusion]}"
        return description, self.opinion

    @api.constrains("kind", "participant_ids", "external_participants", "minutes")
    def _check_participants(self):
        for item in self:
            if not item.participant_ids and not item.external_participants:
                raise ValidationError(
                    _("A deliberation names its participants (R13.2, R13.3, R13.4).")
                )
            if item.kind in ("expert", "collective") and not item.minutes:
                raise ValidationError(
                    _("Expert argumentation and collective discussion keep minutes (R13.3, R13.4).")
                )
