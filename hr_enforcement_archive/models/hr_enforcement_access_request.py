from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import Freeze
from odoo.addons.hr_enforcement_record.periods import PERIODS

# what the approval decides on: fixed while a request is under way
SCOPE_FIELDS = frozenset(
    {
        "case_id",
        "access_type",
        "purpose",
        "text_record_ids",
        "av_record_ids",
        "expiry_date",
        "user_id",
    }
)


class HrEnforcementAccessRequest(models.Model):
    """A party's request to consult or copy records of a case (R19.1), answered within 20
    working days (extendable once by 20 with approval). It is decided through the approval
    chain (proposer, reviewer, approver — and the approver is not the officer who serves
    it); approved access covers the records in its scope, until its expiry, for the officer
    who serves it; each view and download under it is logged with the request's id."""

    _name = "hr.enforcement.access.request"
    _description = "Access Request"
    _inherit = [
        "hr.enforcement.guard",
        "mail.thread",
        "mail.activity.mixin",
        "hr.enforcement.approval.mixin",
    ]
    _order = "id desc"
    _period_deadline_fields = ("reply_deadline",)
    _approval_kinds = ("access_request",)
    _guard_open_states = ("draft",)
    _guard_rule_ref = "R19.1, R22.3"
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: _("New"), index=True
    )
    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    requester_id = fields.Many2one("res.partner", "Requested By", required=True, tracking=True)
    access_type = fields.Selection(
        [("consult", "Consult"), ("copy", "Copy")], required=True, default="consult"
    )
    purpose = fields.Text(required=True, tracking=True)
    text_record_ids = fields.Many2many(
        "hr.enforcement.text.record", string="Text Records", domain="[('case_id', '=', case_id)]"
    )
    av_record_ids = fields.Many2many(
        "hr.enforcement.av.record", string="AV Records", domain="[('case_id', '=', case_id)]"
    )
    received_on = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    extended = fields.Boolean(readonly=True, tracking=True)
    extension_reason = fields.Text(tracking=True)
    reply_deadline = fields.Date(compute="_compute_reply_deadline", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        "Served By",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The officer who shows or copies the records to the requester.",
    )
    approver_id = fields.Many2one("res.users", readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Received"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    replied_on = fields.Date(readonly=True, tracking=True)
    refusal_reason = fields.Text(tracking=True)
    expiry_date = fields.Date(tracking=True, help="Approved access ends after this day.")
    expired = fields.Boolean(compute="_compute_expired")
    file_links = fields.Html(
        "Files to Show",
        compute="_compute_file_links",
        sanitize=False,
        help="For the officer who serves an approved request: each file in its scope, opened "
        "under the request and logged with it (R19.1, R22.2).",
    )

    @api.depends("received_on", "extended")
    def _compute_reply_deadline(self):
        calendar = self.env["hr.enforcement.holiday"]
        for request in self:
            extra = PERIODS["information_reply"].extension if request.extended else 0
            request.reply_deadline = calendar._period_end(
                "information_reply", request.received_on, extra
            )

    @api.depends("expiry_date", "state")
    def _compute_expired(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.expired = bool(request.expiry_date and request.expiry_date < today)

    @api.depends("state", "expiry_date", "user_id", "text_record_ids", "av_record_ids")
    @api.depends_context("uid")
    def _compute_file_links(self):
        for request in self:
            if request.state != "approved" or request.expired or request.user_id != self.env.user:
                request.file_links = False
                continue
            # sudo: the approved request names these files for this officer; each opening
            # is checked against the request again by the download route
            scope = request.sudo()
            files = scope.text_record_ids.file_ids | scope.av_record_ids.file_ids
            request.file_links = Markup("<ul>%s</ul>") % Markup("").join(
                Markup(
                    '<li><a href="/hr_enforcement/evidence/%s/download?access_request=%s" '
                    'target="_blank">%s</a> <small>SHA-256 %s</small></li>'
                )
                % (evidence.id, request.id, evidence.name, evidence.sha256)
                for evidence in files
            )

    @api.constrains("text_record_ids", "av_record_ids", "case_id")
    def _check_scope(self):
        for request in self.sudo():  # the scope may hold records the requester cannot read
            cases = request.text_record_ids.case_id | request.av_record_ids.case_id
            if cases - request.case_id:
                raise ValidationError(_("The scope holds records of another case."))

    @api.constrains("requester_id", "text_record_ids", "case_id")
    def _check_complainant_kept_from_the_party(self):
        """R20.1; 劳动保障监察条例 第九条第三款 (为举报人保密): the documents that name the
        complainant are never shown or copied to the party of the case."""
        for request in self.sudo():  # the scope may hold records the requester cannot read
            party = request.case_id.partner_id.commercial_partner_id
            if not party or request.requester_id.commercial_partner_id != party:
                continue
            naming = request.text_record_ids.filtered(
                lambda record: "complainant" in record.document_type_id._sections()
            )
            if naming:
                raise ValidationError(
                    _(
                        "%(records)s name the complainant: they are never shown to the party "
                        "(R20.1; 劳动保障监察条例 art. 9).",
                        records=", ".join(naming.mapped("display_name")),
                    )
                )

    @api.model
    def _prepare_app_values(self, vals_list):
        vals_list = super()._prepare_app_values(vals_list)
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("hr.enforcement.access.request")
        return vals_list

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.state == "draft" and self.approval_pending_count:
            freezes.append(
                Freeze(
                    self.env._("the request is under approval (R21.1)"),
                    only=SCOPE_FIELDS,
                    inherit=False,
                )
            )
        return freezes

    def _get_approval_defaults(self, kind):
        case = self.case_id.sudo()  # sudo: the people named on the case, not its content
        return {
            "reviewer_id": case.reviewer_id.user_id.id,
            "approver_id": case.approver_id.user_id.id,
        }

    def _check_approval_request(self, request):
        result = super()._check_approval_request(request)
        if self.state != "draft":
            raise UserError(_("This request is decided already."))
        scope = self.sudo()  # the scope may hold records that the proposer cannot read
        if not (scope.text_record_ids or scope.av_record_ids) or not self.expiry_date:
            raise UserError(_("Give the scope and the expiry date of the access (R19.1)."))
        if self.user_id in (request.reviewer_id | request.approver_id):
            raise UserError(
                _("The officer who serves a request neither reviews nor approves it (R21.1).")
            )
        return result

    def _on_approval_approved(self, request):
        # sudo: the recorded approval chain authorises the decision, whoever approves
        self.sudo()._app().write(
            {
                "state": "approved",
                "approver_id": request.approver_id.id,
                "replied_on": fields.Date.context_today(self),
            }
        )

    def _on_approval_rejected(self, request):
        # sudo: as above
        self.sudo()._app().write(
            {
                "state": "refused",
                "approver_id": request.approver_id.id,
                "replied_on": fields.Date.context_today(self),
                "refusal_reason": request.approval_opinion or request.review_opinion,
            }
        )

    def action_request_decision(self):
        return self.with_context(approval_kind="access_request").action_request_approval()

    def action_extend(self):
        """Extend the reply period once by 20 working days, with the approver's consent."""
        if not self.env.user.has_group(
            "hr_enforcement_record.hr_enforcement_record_group_approver"
        ):
            raise UserError(_("Only an approver extends the reply period (R19.1, R21.1)."))
        for request in self:
            if request.extended or not request.extension_reason:
                raise UserError(
                    _("The reply period is extended once, with a written reason (R19.1).")
                )
        self._app().write({"extended": True})

    def _check_covers(self, evidence):
        """Raise unless this approved, unexpired request covers `evidence` for the user."""
        self.ensure_one()
        evidence = evidence.sudo()
        in_scope = (
            evidence.text_record_id in self.sudo().text_record_ids
            if evidence.text_record_id
            else evidence.av_record_id in self.sudo().av_record_ids
        )
        if self.state != "approved":
            raise UserError(_("Access request %(name)s is not approved.", name=self.name))
        if self.expired:
            raise UserError(
                _(
                    "Access request %(name)s expired on %(day)s.",
                    name=self.name,
                    day=self.expiry_date,
                )
            )
        if self.user_id != self.env.user:
            raise UserError(
                _("Access request %(name)s is served by another officer.", name=self.name)
            )
        if not in_scope:
            raise UserError(
                _(
                    "%(file)s is outside the scope of request %(name)s.",
                    file=evidence.name,
                    name=self.name,
                )
            )

    def action_view_files(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.enforcement.evidence.file",
            "name": self.name,
            "view_mode": "list,form",
            "domain": [
                "|",
                ("text_record_id", "in", self.text_record_ids.ids),
                ("av_record_id", "in", self.av_record_ids.ids),
            ],
            "context": {"hr_enforcement_access_request_id": self.id},
        }
