from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Transition -> (who acts, which opinion must be written first)
_TRANSITIONS = {
    ("draft", "submitted"): ("proposer_id", "proposal"),
    ("submitted", "reviewed"): ("reviewer_id", "review_opinion"),
    ("submitted", "rejected"): ("reviewer_id", "review_opinion"),
    ("reviewed", "approved"): ("approver_id", "approval_opinion"),
    ("reviewed", "rejected"): ("approver_id", "approval_opinion"),
    ("draft", "cancelled"): ("proposer_id", None),
    ("submitted", "cancelled"): ("proposer_id", None),
}
# Fields each role writes, and the states in which they may still be written.
_EDITABLE = {
    "proposal": ("proposer_id", {"draft"}),
    "extension_days": ("proposer_id", {"draft"}),
    "reviewer_id": ("proposer_id", {"draft"}),
    "approver_id": ("proposer_id", {"draft"}),
    "review_opinion": ("reviewer_id", {"submitted"}),
    "approval_opinion": ("approver_id", {"reviewed"}),
}
DECIDED = ("approved", "rejected", "cancelled")
# who must act while a request is in a state: their pending work is an activity (R21.1)
_NEXT_ACTOR = {"submitted": "reviewer_id", "reviewed": "approver_id"}
# each step of the chain leaves an event on the case (R21.1), with the opinion written for it
_STEP_EVENTS = {
    "submitted": ("proposed", "proposal"),
    "reviewed": ("reviewed", "review_opinion"),
    "approved": ("approved", "approval_opinion"),
    "cancelled": ("withdrawn", None),
}


class HrEnforcementApproval(models.Model):
    """One internal approval request (内部审批): handler proposes, reviewer reviews, approver
    approves (R21.1, R13.2, R13.5).

    The proposer writes the proposal and picks reviewer and approver; only the named reviewer
    reviews and only the named approver decides — administrators included. Nobody can hold
    two roles on one request. A decided request never changes again.
    """

    _name = "hr.enforcement.approval"
    _description = "Enforcement Approval Request"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    # what is decided is named when the request is made, and never re-pointed (R21.1)
    _guard_create_fields = frozenset({"res_model", "res_id", "kind"})
    _guard_case_field = "case_id"
    _guard_rule_ref = "R21.1"
    _guard_open_states = ("draft", "submitted", "reviewed")

    name = fields.Char(compute="_compute_name", search="_search_name")
    res_model = fields.Char("Document Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        "Document", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char("Document Name", compute="_compute_res_name")
    case_id = fields.Many2one(
        "hr.enforcement.case",
        compute="_compute_case_id",
        store=True,
        index=True,
        help="The case whose content the request concerns (need-to-know, R20.1).",
    )
    kind = fields.Selection(
        [
            ("case_opening", "Opening of the case"),
            ("investigation_extension", "Extension of the investigation period"),
            ("decision", "Decision"),
            ("decision_extension", "Extension of the decision period"),
            ("application_extension", "Extension of the licensing decision period"),
            ("cancellation", "Cancellation of the case"),
            ("closing", "Closing of the case"),
            ("preservation", "Prior registration and preservation of evidence"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Awaiting review"),
            ("reviewed", "Awaiting approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
        index=True,
    )
    proposer_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, readonly=True
    )
    proposal = fields.Text("Proposal and Reasons", tracking=True)
    extension_days = fields.Integer(
        help="For extension requests: the days added to the deadline once approved."
    )
    reviewer_id = fields.Many2one("res.users", required=True, tracking=True)
    review_opinion = fields.Text(tracking=True)
    approver_id = fields.Many2one("res.users", required=True, tracking=True)
    approval_opinion = fields.Text(tracking=True)
    date_submitted = fields.Datetime(readonly=True)
    date_reviewed = fields.Datetime(readonly=True)
    date_decided = fields.Datetime(readonly=True)
    can_act = fields.Boolean(compute="_compute_can_act")
    can_withdraw = fields.Boolean(compute="_compute_can_act")
    # what is being decided, shown beside the request (read with the request's own rule)
    case_facts = fields.Text("Facts", related="case_id.facts")
    case_legal_basis = fields.Text("Legal Basis", related="case_id.legal_basis")
    case_decision_summary = fields.Text("Proposed Decision", related="case_id.decision_summary")

    @api.depends("kind")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            request.name = labels.get(request.kind, "")

    def _search_name(self, operator, value):
        """The name is the kind's label, in the user's language: search by the kinds whose
        label matches."""
        if operator not in ("ilike", "=", "like", "=ilike", "not ilike", "!="):
            raise UserError(_("Search approval requests by the words of their name."))
        labels = dict(self._fields["kind"]._description_selection(self.env))
        needle = (value or "").lower()
        kinds = [k for k, label in labels.items() if needle in label.lower()]
        positive = operator in ("ilike", "=", "like", "=ilike")
        return [("kind", "in" if positive else "not in", kinds)]

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for request in self:
            target = request._get_target()
            request.res_name = target.display_name if target else ""

    @api.depends("res_model", "res_id")
    def _compute_case_id(self):
        for request in self:
            target = request.sudo()._get_target()  # sudo: the link, not the content
            request.case_id = target._guard_get_cases()[:1] if target else False

    @api.depends_context("uid")
    @api.depends("state", "reviewer_id", "approver_id", "proposer_id")
    def _compute_can_act(self):
        actor_by_state = {
            "draft": "proposer_id",
            "submitted": "reviewer_id",
            "reviewed": "approver_id",
        }
        for request in self:
            field = actor_by_state.get(request.state)
            request.can_act = bool(field) and request[field] == self.env.user
            request.can_withdraw = (
                request.state in ("draft", "submitted") and request.proposer_id == self.env.user
            )

    @api.constrains("proposer_id", "reviewer_id", "approver_id")
    def _check_distinct_roles(self):
        """R21.1: the same person cannot hold two roles on one request."""
        for request in self:
            people = [request.proposer_id, request.reviewer_id, request.approver_id]
            if len(set(people)) < 3:
                raise ValidationError(
                    _(
                        "The proposer, the reviewer and the approver of a request must be "
                        "three different people (R21.1)."
                    )
                )

    @api.constrains("reviewer_id", "approver_id")
    def _check_role_groups(self):
        for request in self:
            if not request.reviewer_id.has_group(
                "hr_enforcement_record.hr_enforcement_record_group_reviewer"
            ):
                raise ValidationError(
                    _(
                        "%(user)s is not a reviewer of a handling unit and cannot review "
                        "requests (R21.1).",
                        user=request.reviewer_id.name,
                    )
                )
            if not request.approver_id.has_group(
                "hr_enforcement_record.hr_enforcement_record_group_approver"
            ):
                raise ValidationError(
                    _(
                        "%(user)s is not an approver and cannot approve requests (R21.1).",
                        user=request.approver_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("proposer_id", self.env.uid) != self.env.uid:
                raise UserError(_("You can only propose in your own name (R21.1)."))
        requests = super().create(vals_list)
        for request in requests:
            target = request._get_target()
            if not target:
                raise UserError(_("The document of this approval request does not exist."))
            target._check_approval_request(request)
        return requests

    def write(self, vals):
        if not self._guard_is_app():
            self._check_editable(set(vals))
        return super().write(vals)

    def _guard_parents(self):
        target = self._get_target()
        return [target] if target else []

    @api.model
    def _guard_parents_from_vals(self, vals):
        # the proposer must be able to change what is proposed (R21.1)
        model = vals.get("res_model")
        if not (model and vals.get("res_id") and model in self.env):
            return []
        return [self.env[model].browse(vals["res_id"])]

    def _guard_check_parent_access(self, operation="write"):
        # reviewer and approver act on the request itself, named on it (R21.1)
        return None

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(request.state != "draft" for request in self):
            raise UserError(
                _("Only draft approval requests can be deleted; the chain is kept (R21.1).")
            )

    def _transition(self, new_state, **values):
        """Move the requests to `new_state` as the person named for that step (R21.1)."""
        self._check_transition(dict(values, state=new_state))
        if values:
            self.write(values)
        stamp = {"submitted": "date_submitted", "reviewed": "date_reviewed"}.get(
            new_state, "date_decided"
        )
        now = fields.Datetime.now()
        app_values = {"state": new_state}
        if new_state != "cancelled":
            app_values[stamp] = now
        if new_state == "approved":
            for request in self:
                request._get_target()._check_approval_grant(request)
        old_states = {request: request.state for request in self}
        self._close_step_activities()
        for request in self:
            # with the step, the actor's own signature of their opinion, if they have one
            request._app().write(dict(app_values, **request._step_signature(new_state, now)))
        self._log_step_events(old_states)
        self._schedule_step_activities()
        if new_state in ("approved", "rejected"):
            for request in self:
                target = request._get_target()
                if new_state == "approved":
                    target._on_approval_approved(request)
                else:
                    target._on_approval_rejected(request)

    def _check_transition(self, vals):
        new_state = vals["state"]
        for request in self:
            rule = _TRANSITIONS.get((request.state, new_state))
            if not rule:
                raise UserError(
                    _(
                        "An approval request cannot go from %(old)s to %(new)s (R21.1).",
                        old=request._state_label(request.state),
                        new=request._state_label(new_state),
                    )
                )
            actor_field, opinion_field = rule
            if request[actor_field] != self.env.user:
                raise AccessError(
                    _(
                        "Only %(user)s can do this on request %(request)s (R21.1).",
                        user=request[actor_field].name,
                        request=request.display_name,
                    )
                )
            opinion = vals.get(opinion_field, request[opinion_field]) if opinion_field else True
            if not opinion:
                raise ValidationError(
                    _(
                        "Write the %(field)s before this step (R21.1).",
                        field=request._fields[opinion_field].get_description(self.env)["string"],
                    )
                )

    def _check_editable(self, field_names):
        for request in self:
            for name in field_names:
                rule = _EDITABLE.get(name)
                if not rule:
                    continue
                actor_field, states = rule
                if request.state not in states or request[actor_field] != self.env.user:
                    raise AccessError(
                        _(
                            "You cannot change %(field)s of request %(request)s now (R21.1).",
                            field=request._fields[name].get_description(self.env)["string"],
                            request=request.display_name,
                        )
                    )

    def _log_step_events(self, old_states):
        """R21.1: the step just taken, with its opinion, in the log of the request's case."""
        Event = self.env["hr.enforcement.event"]
        for request in self.filtered("case_id"):
            if request.state == "rejected":
                # rejected by the reviewer (from submitted) or by the approver
                event_type = "rejected"
                by_reviewer = old_states[request] == "submitted"
                opinion = "review_opinion" if by_reviewer else "approval_opinion"
            else:
                event_type, opinion = _STEP_EVENTS[request.state]
            description = (
                f"{request.name}: {request.res_name}" if request.res_name else request.name
            )
            Event._log(
                request.case_id,
                event_type,
                request,
                description[:500],
                purpose=request[opinion] if opinion else "",
            )

    def _close_step_activities(self):
        """Mark done the pending-step activities of the requests (the step is taken), while
        the requests are still open; by the application, whoever takes the step."""
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_approval")
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == kind)
        if activities:
            activities.action_feedback(feedback=_("Done by %(user)s.", user=self.env.user.name))

    def _schedule_step_activities(self):
        """Put each request in the activities of the person who must act next, in their
        language, so that pending work is never missed (R21.1)."""
        for request in self.sudo():
            actor = request[_NEXT_ACTOR[request.state]] if request.state in _NEXT_ACTOR else None
            if not actor:
                continue
            local = request.with_context(lang=actor.lang or self.env.lang)
            step = {
                "submitted": local.env._("Review"),
                "reviewed": local.env._("Approve"),
            }[request.state]
            local.activity_schedule(
                "hr_enforcement_record.mail_activity_type_approval",
                summary=local.env._("%(step)s: %(request)s", step=step, request=local.display_name),
                note=request.proposal,
                user_id=actor.id,
            )

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _get_target(self):
        """The approvable record, or None."""
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        target = self.env[self.res_model].browse(self.res_id).exists()
        return target if target and hasattr(target, "_on_approval_approved") else None

    def action_submit(self):
        self._transition("submitted")

    def action_review(self):
        self._transition("reviewed")

    def action_approve(self):
        self._transition("approved")

    def action_reject(self):
        self._transition("rejected")

    def action_cancel(self):
        self._transition("cancelled")

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
