from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_enforcement_guard import Freeze

ACCEPTANCE_DAYS = 5  # Administrative Licensing Law art. 32: accept or not within 5 working days
DECISION_DAYS = 20  # art. 42: decide within 20 working days of acceptance
EXTENSION_DAYS = 10  # art. 42: extended by 10 working days with the head's approval
OPEN_STATES = ("received", "supplement")


class HrEnforcementApplication(models.Model):
    """An application received at the counter (依申请事项, R6.1, R6.2): the applicant, the
    matter and its materials, the decision on acceptance with its reasons and the time
    limits of the Administrative Licensing Law on the deadline engine (5 working days to
    accept, 20 to decide, 10 more with approval). Accepting opens the licensing case. The
    counter camera's clip covering the reception is proposed from the station clips; the
    officer links it, and the case's completeness matrix misses it until then (R6.2)."""

    _name = "hr.enforcement.application"
    _description = "Application"
    _inherit = [
        "hr.enforcement.guard",
        "hr.enforcement.approval.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _guard_case_field = None
    _guard_rule_ref = "R6.1"
    # still written once decided: the counter's clip (R6.2), the approved extension
    _guard_decided_writable = frozenset({"counter_clip_id", "extension_days"})
    _approval_kinds = ("application_extension",)
    _order = "received_at desc, id desc"

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id.department_id,
    )
    officer_id = fields.Many2one(
        "hr.employee",
        "Received By",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
    )
    reviewer_id = fields.Many2one("hr.employee", tracking=True, check_company=True)
    approver_id = fields.Many2one("hr.employee", tracking=True, check_company=True)
    applicant_id = fields.Many2one("res.partner", required=True, tracking=True)
    matter_id = fields.Many2one(
        "hr.enforcement.matter", required=True, tracking=True, ondelete="restrict"
    )
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    counter_device_id = fields.Many2one(
        "hr.enforcement.av.device",
        "Counter Camera",
        domain=[("device_type", "=", "surveillance")],
        tracking=True,
    )
    material_ids = fields.One2many(
        "hr.enforcement.application.material", "application_id", string="Materials"
    )
    state = fields.Selection(
        [
            ("received", "Registered"),
            ("supplement", "Supplement Requested"),
            ("accepted", "Accepted"),
            ("rejected", "Not Accepted"),
        ],
        default="received",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    supplement_notice = fields.Text(
        help="Everything the applicant must supply, told at once (Administrative Licensing "
        "Law art. 32)."
    )
    refusal_reason = fields.Text("Reasons for Not Accepting", tracking=True)
    decided_on = fields.Date("Acceptance Decided On", readonly=True, tracking=True)
    acceptance_deadline = fields.Date(compute="_compute_deadlines", store=True)
    decision_deadline = fields.Date(compute="_compute_deadlines", store=True, tracking=True)
    extension_days = fields.Integer(readonly=True, tracking=True)
    case_id = fields.Many2one("hr.enforcement.case", "Licensing Case", readonly=True, copy=False)
    counter_clip_id = fields.Many2one(
        "hr.enforcement.av.clip", "Counter Recording", tracking=True, copy=False
    )
    clip_proposal_ids = fields.Many2many(
        "hr.enforcement.av.clip",
        compute="_compute_clip_proposal_ids",
        string="Proposed Recordings",
    )

    @api.depends("received_at", "decided_on", "state", "extension_days")
    def _compute_deadlines(self):
        holidays = self.env["hr.enforcement.holiday"]
        for application in self:
            received = fields.Date.context_today(application, application.received_at)
            application.acceptance_deadline = holidays._add_working_days(received, ACCEPTANCE_DAYS)
            application.decision_deadline = (
                holidays._add_working_days(
                    application.decided_on, DECISION_DAYS + application.extension_days
                )
                if application.state == "accepted"
                else False
            )

    @api.depends("received_at", "counter_device_id", "company_id")
    def _compute_clip_proposal_ids(self):
        """Surveillance clips whose capture window covers the reception (R6.2)."""
        Clip = self.env["hr.enforcement.av.clip"]
        for application in self:
            domain = [
                ("device_id.device_type", "=", "surveillance"),
                ("company_id", "=", application.company_id.id),
                ("capture_start", "<=", application.received_at),
                ("capture_end", ">=", application.received_at),
            ]
            if application.counter_device_id:
                domain.append(("device_id", "=", application.counter_device_id.id))
            application.clip_proposal_ids = Clip.search(domain) if application.received_at else Clip

    @api.model_create_multi
    def create(self, vals_list):
        applications = super().create(vals_list)
        for application in applications:
            reference = self.env["hr.enforcement.case"]._next_reference(
                application.company_id,
                fields.Date.context_today(application, application.received_at),
                "hr.enforcement.application",
            )
            application._app().write({"name": reference})
            if not application.material_ids:
                application._app("hr.enforcement.application.material").write(
                    {
                        "material_ids": [
                            (
                                0,
                                0,
                                {"name": m.name, "mandatory": m.mandatory, "sequence": m.sequence},
                            )
                            for m in application.matter_id.material_ids
                        ]
                    }
                )
        return applications

    def write(self, vals):
        result = super().write(vals)
        if vals.get("counter_clip_id"):
            self._link_counter_clip()
        return result

    @api.constrains("counter_clip_id", "received_at")
    def _check_counter_clip(self):
        for application in self.filtered("counter_clip_id"):
            clip = application.counter_clip_id.sudo()
            start, end = clip.capture_start, clip.capture_end or clip.capture_start
            if clip.device_id.device_type != "surveillance" or not (
                start <= application.received_at <= end
            ):
                raise ValidationError(
                    _(
                        "%(clip)s does not cover the reception of %(application)s (R6.2).",
                        clip=clip.name,
                        application=application.name,
                    )
                )

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.state not in OPEN_STATES:
            # not passed on: an extension may still be requested; the checklist freezes itself
            freezes.append(
                Freeze(
                    self.env._("it is decided and recorded as it stands (R6.1)"),
                    allowed=self._guard_decided_writable,
                    inherit=False,
                )
            )
        if self.counter_clip_id:
            freezes.append(
                Freeze(
                    self.env._("its counter recording is linked (R6.2)"),
                    only=frozenset({"counter_clip_id", "received_at"}),
                    inherit=False,
                )
            )
        return freezes

    # ------------------------------------------------------------------ decisions
    def _check_open(self):
        for application in self:
            if application.state not in OPEN_STATES:
                raise UserError(_("%(name)s is decided already.", name=application.name))

    def _missing_materials(self):
        return self.material_ids.filtered(lambda m: m.mandatory and not m.received)

    def action_request_supplement(self):
        """Tell the applicant, at once, every material still missing (art. 32)."""
        self._check_open()
        for application in self:
            missing = application._missing_materials()
            if not missing:
                raise UserError(_("Every required material is in: accept the application."))
            notice = "\n".join(missing.mapped("name"))
            application._app().write({"state": "supplement", "supplement_notice": notice})
            application.message_post(
                body=_(
                    "Supplement requested: %(materials)s",
                    materials=", ".join(missing.mapped("name")),
                )
            )
        return True

    def action_accept(self):
        """Accept (R6.1): every required material in; the licensing case opens."""
        self._check_open()
        for application in self:
            missing = application._missing_materials()
            if missing:
                raise UserError(
                    _(
                        "%(name)s lacks required materials: %(materials)s. Request a supplement.",
                        name=application.name,
                        materials=", ".join(missing.mapped("name")),
                    )
                )
            if not (application.reviewer_id and application.approver_id):
                raise UserError(_("Name the reviewer and the approver of the licensing case."))
            case = self.env["hr.enforcement.case"].create(application._case_values())
            application.message_post(body=_("Accepted; case %(case)s opened.", case=case.name))
            application._app().write(
                {
                    "state": "accepted",
                    "decided_on": fields.Date.context_today(application),
                    "case_id": case.id,
                }
            )
            if application.counter_clip_id:
                application._link_counter_clip()
        return True

    def _case_values(self):
        return {
            "subject": f"{self.matter_id.name}: {self.applicant_id.name}",
            "enforcement_type": "licensing",
            "origin": "application",
            "partner_id": self.applicant_id.id,
            "department_id": self.department_id.id,
            "handler_id": self.officer_id.id,
            "reviewer_id": self.reviewer_id.id,
            "approver_id": self.approver_id.id,
            "company_id": self.company_id.id,
            "date_received": fields.Date.context_today(self, self.received_at),
            "facts": _(
                "Application %(name)s received on %(date)s; materials: %(materials)s.",
                name=self.name,
                date=fields.Date.to_string(fields.Date.context_today(self, self.received_at)),
                materials=", ".join(self.material_ids.filtered("received").mapped("name")),
            ),
            "legal_basis": self.matter_id.legal_basis or False,
        }

    def action_reject(self):
        """Not accepted, with written reasons (art. 32)."""
        self._check_open()
        for application in self:
            if not (application.refusal_reason or "").strip():
                raise UserError(
                    _("Write the reasons for not accepting %(name)s.", name=application.name)
                )
            application.message_post(body=_("Not accepted."))
            application._app().write(
                {"state": "rejected", "decided_on": fields.Date.context_today(application)}
            )
        return True

    # ------------------------------------------------------------------ counter clip
    def _link_counter_clip(self):
        """The linked segment becomes a surveillance record of the case once there is one;
        one segment may show several receptions, each case gets its own record (R6.2)."""
        for application in self.filtered("counter_clip_id"):
            clip = application.counter_clip_id
            clip.sudo().activity_ids.action_feedback(
                feedback=_("Linked to %(name)s.", name=application.name)
            )
            case = application.case_id
            if not case:
                continue
            record = clip.with_user(self.env.user)._record_on_case(
                case,
                _("Counter recording of %(name)s", name=application.name),
                "surveillance",
            )
            if clip.sudo().state == "unassigned":
                clip.sudo()._mark_assigned(record)

    def action_view_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.enforcement.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ extension
    def _get_approval_defaults(self, kind):
        return {
            "reviewer_id": self.reviewer_id.user_id.id,
            "approver_id": self.approver_id.user_id.id,
            "extension_days": EXTENSION_DAYS,
        }

    def _check_approval_request(self, request):
        result = super()._check_approval_request(request)
        if self.state != "accepted" or self.extension_days:
            raise UserError(_("Only an accepted application is extended, once (10 working days)."))
        return result

    def _on_approval_approved(self, request):
        if request.kind == "application_extension":
            self.sudo()._app().write({"extension_days": EXTENSION_DAYS})
