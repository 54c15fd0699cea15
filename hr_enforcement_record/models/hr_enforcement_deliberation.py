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
    _guard_immutable_fields = frozenset({"case_id", "author_id"})
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
    author_id = fields.Many2one(
        "res.users",
        "Written By",
        required=True,
        default=lambda self: self.env.user,
        help="Legal review: a member of the legal-review staff, neither the handler nor "
        "the reviewer of the handling unit (R13.2; 行政处罚法 art. 58).",
    )
    participant_ids = fields.Many2many("hr.employee", string="Participants")
    external_participants = fields.Text(help="Experts or others from outside the bureau.")
    minutes = fields.Html()
    opinion = fields.Text(required=True, tracking=True)
    conclusion = fields.Selection(
        [("agree", "Agree"), ("modify", "Agree with changes"), ("disagree", "Disagree")],
        required=True,
        tracking=True,
    )

    def _is_own_legal_review(self, vals=None):
        """A legal review written by the legal-review staff, who read the case but do not
        handle it: the case need not be theirs to change (R13.2)."""
        kind = (vals or {}).get("kind") if vals is not None else self.kind
        author = self.env.user if vals is not None else self.author_id
        return (
            kind == "legal_review"
            and author == self.env.user
            and self.env.user.has_group(
                "hr_enforcement_record.hr_enforcement_record_group_legal_review"
            )
        )

    @api.model
    def _guard_parents_from_vals(self, vals):
        parents = super()._guard_parents_from_vals(vals)
        if self._is_own_legal_review(vals):
            for parent in parents:
                parent.check_access("read")
            return []
        return parents

    def _guard_check_parent_access(self, operation="write"):
        mine = self.filtered(lambda d: d._is_own_legal_review())
        for item in mine:
            item.case_id.check_access("read")
        return super(HrEnforcementDeliberation, self - mine)._guard_check_parent_access(operation)

    def _guard_event_texts(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        conclusions = dict(self._fields["conclusion"]._description_selection(self.env))
        description = f"{kinds[self.kind]}: {conclusions[self.conclusion]}"
        return description, self.opinion

    @api.constrains("kind", "author_id", "case_id")
    def _check_legal_reviewer(self):
        """R13.2, 行政处罚法 第五十八条: legal review is done by the staff who do it, not by
        the handling unit that proposes the decision."""
        group = "hr_enforcement_record.hr_enforcement_record_group_legal_review"
        for item in self.filtered(lambda d: d.kind == "legal_review"):
            if item.author_id != self.env.user and not self.env.su:
                raise ValidationError(_("A legal review opinion is written in one's own name."))
            case = item.case_id
            if not item.author_id.has_group(group):
                raise ValidationError(
                    _(
                        "%(user)s is not on the legal-review staff and cannot write a legal "
                        "review opinion (R13.2; 行政处罚法 art. 58).",
                        user=item.author_id.name,
                    )
                )
            if item.author_id in (case.handler_id.user_id | case.reviewer_id.user_id):
                raise ValidationError(
                    _(
                        "%(user)s handles or reviews case %(case)s in the handling unit and "
                        "cannot also do its legal review (R13.2, R21.1).",
                        user=item.author_id.name,
                        case=case.name,
                    )
                )

    @api.constrains("date", "case_id")
    def _check_date(self):
        for item in self:
            if item.date < item.case_id.date_received:
                raise ValidationError(
                    _("No step of a case is dated before the case was received (R4.1).")
                )

    @api.constrains("kind", "participant_ids", "external_participants", "minutes")
    def _check_participants(self):
        for item in self:
            if not item.participant_ids and not item.external_participants:
                raise ValidationError(
                    _("A deliberation names its participants (R13.2, R13.3, R13.4).")
                )
            if item.kind == "collective" and len(item.participant_ids) < 3:
                raise ValidationError(
                    _(
                        "A collective discussion is held by the bureau's leaders: name at "
                        "least three participants (R13.4; 行政处罚法 art. 57)."
                    )
                )
            if item.kind in ("expert", "collective") and not item.minutes:
                raise ValidationError(
                    _("Expert argumentation and collective discussion keep minutes (R13.3, R13.4).")
                )
