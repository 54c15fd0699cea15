from odoo import _, api, fields, models
from odoo.exceptions import UserError

HANDLINGS = [
    ("released", "Preservation lifted, items returned"),
    ("evidence", "Fixed as evidence (copied or recorded), items returned"),
    ("transferred", "Transferred to the competent authority"),
    ("other", "Other measure the law provides"),
]


class HrEnforcementPreservation(models.Model):
    """Prior registration and preservation of evidence (先行登记保存, R11.1): where evidence
    may be lost or hard to obtain later, the items are registered and preserved only with
    the approval of the head of the bureau, the party receives the numbered
    先行登记保存证据通知书 with the list, and the handling decision is made within 7 working
    days of the approval (行政处罚法 第五十六条, 第八十五条; the table of periods)."""

    _name = "hr.enforcement.preservation"
    _description = "Prior Registration and Preservation of Evidence"
    _inherit = [
        "hr.enforcement.guard",
        "hr.enforcement.approval.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_open_stages = ("investigation",)
    _guard_rule_ref = "R11.1"
    _guard_event_on_create = "preservation"
    _approval_kinds = ("preservation",)
    _period_deadline_fields = ("handling_deadline",)
    _order = "case_id, id"

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    reason = fields.Text(
        required=True,
        tracking=True,
        help="Why the evidence may be lost or be hard to obtain later (行政处罚法 art. 56).",
    )
    items = fields.Text("Items Preserved", required=True, tracking=True)
    place = fields.Char("Kept At", tracking=True)
    state = fields.Selection(
        [("draft", "Awaiting approval"), ("approved", "Preserved"), ("handled", "Handled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    approved_on = fields.Date(readonly=True, tracking=True, copy=False)
    handling_deadline = fields.Date(
        compute="_compute_handling_deadline",
        store=True,
        index=True,
        help="7 working days from the approval (行政处罚法 art. 56, 85).",
    )
    notice_record_id = fields.Many2one(
        "hr.enforcement.text.record", "Preservation Notice", readonly=True, copy=False
    )
    handling = fields.Selection(HANDLINGS, "Handling Decision", tracking=True)
    handling_date = fields.Date("Handled On", tracking=True)
    handling_note = fields.Text("Reasons of the Handling", tracking=True)
    handled_late = fields.Boolean(compute="_compute_handled_late", store=True)

    @api.depends("approved_on")
    def _compute_handling_deadline(self):
        calendar = self.env["hr.enforcement.holiday"]
        for preservation in self:
            preservation.handling_deadline = calendar._period_end(
                "evidence_preservation", preservation.approved_on
            )

    @api.depends("handling_date", "handling_deadline")
    def _compute_handled_late(self):
        for preservation in self:
            preservation.handled_late = bool(
                preservation.handling_date
                and preservation.handling_deadline
                and preservation.handling_date > preservation.handling_deadline
            )

    @api.depends("case_id.name", "items")
    def _compute_display_name(self):
        for preservation in self:
            preservation.display_name = _(
                "Preservation of %(case)s: %(items)s",
                case=preservation.case_id.name or "",
                items=(preservation.items or "").splitlines()[0][:40] if preservation.items else "",
            )

    def _notice_text(self):
        """What the 先行登记保存证据通知书 tells the party."""
        if not self:
            return ""
        self.ensure_one()
        return _(
            "Items: %(items)s. Kept at: %(place)s. Reason: %(reason)s. Approved on %(day)s by "
            "the head of the bureau; a handling decision follows by %(due)s. Until then nobody "
            "may destroy or move the evidence (行政处罚法 art. 56).",
            items=(self.items or "").replace("\n", "; "),
            place=self.place or "—",
            reason=self.reason,
            day=self.approved_on,
            due=self.handling_deadline,
        )

    # ------------------------------------------------------------------ approval
    def _get_approval_defaults(self, kind):
        return {
            "reviewer_id": self.case_id.reviewer_id.user_id.id,
            "approver_id": self.case_id.approver_id.user_id.id,
        }

    def _check_approval_request(self, request):
        result = super()._check_approval_request(request)
        if self.state != "draft":
            raise UserError(_("This preservation is approved already."))
        return result

    def _on_approval_approved(self, request):
        today = fields.Date.context_today(self)
        self.sudo()._app().write({"state": "approved", "approved_on": today})
        user = self.case_id.handler_id.user_id
        if user:
            self.sudo().activity_schedule(
                "hr_enforcement_record.mail_activity_type_deadline",
                date_deadline=self.handling_deadline,
                summary=_("Decide how the preserved evidence is handled (行政处罚法 art. 56)"),
                user_id=user.id,
            )

    # ------------------------------------------------------------------ steps
    def action_issue_notice(self):
        """The numbered 先行登记保存证据通知书, once the head of the bureau approved."""
        self.ensure_one()
        if self.state == "draft":
            raise UserError(
                _(
                    "The preservation needs the approval of the head of the bureau first "
                    "(行政处罚法 art. 56; R11.1)."
                )
            )
        return self.env["hr.enforcement.document.issue"]._action_open(
            self.case_id,
            _("Issue Preservation Notice"),
            "hr_enforcement_record.document_type_preservation_notice",
            preservation_id=self.id,
        )

    def action_record_handling(self):
        """The handling decision, due within 7 working days of the approval."""
        for preservation in self:
            if preservation.state != "approved":
                raise UserError(_("Only preserved evidence is handled."))
            if not (preservation.handling and (preservation.handling_note or "").strip()):
                raise UserError(_("Choose the handling decision and write its reasons (R11.1)."))
            values = {"state": "handled"}
            if not preservation.handling_date:
                values["handling_date"] = fields.Date.context_today(preservation)
            preservation._app().write(values)
            preservation.activity_feedback(
                ["hr_enforcement_record.mail_activity_type_deadline"], feedback=_("Handled.")
            )
            self.env["hr.enforcement.event"]._log(
                preservation.case_id,
                "preservation",
                preservation,
                dict(self._fields["handling"]._description_selection(self.env))[
                    preservation.handling
                ],
            )
        return True
