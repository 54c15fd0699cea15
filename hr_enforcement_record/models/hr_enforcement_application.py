from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_enforcement_guard import Freeze

OPEN_STATES = ("received", "supplement")


class HrEnforcementApplication(models.Model):
    """An application received at the counter (依申请事项, R6.1, R6.2): the applicant, the
    matter and its materials, the decision on acceptance with its reasons and the periods of
    the table of periods (行政许可法 第三十二条: within 5 working days the applicant is told,
    at once, everything to supplement, else the application is accepted from receipt;
    第四十二条: 20 working days to decide, 10 more once with approval). Each step gives the
    applicant a numbered written document (补正告知书, 受理通知书, 不予受理决定书) from the
    Print menu. Acceptance opens the case of the matter's type: a licensing case, or a
    confirmation case such as 工伤认定. The counter camera's clip covering the reception is
    proposed from the station clips; the officer links it (R6.2)."""

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
    # still written once decided: the counter's clip (R6.2), the approved extension, and
    # the documents' originals (hr_enforcement_application_document.py)
    _guard_decided_writable = frozenset({"counter_clip_id", "extension_days"})
    # registered for one matter: its checklist is that matter's (R6.1)
    _guard_immutable_fields = frozenset({"matter_id"})
    _approval_kinds = ("application_extension",)
    _order = "received_at desc, id desc"
    _period_deadline_fields = ("acceptance_deadline", "decision_deadline")

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
    # named at registration: an application not answered in time opens its case by law
    reviewer_id = fields.Many2one("hr.employee", required=True, tracking=True, check_company=True)
    approver_id = fields.Many2one("hr.employee", required=True, tracking=True, check_company=True)
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
    supplement_number = fields.Char("Supplement Notice No.", readonly=True, copy=False)
    supplement_date = fields.Date("Supplement Requested On", readonly=True, copy=False)
    refusal_reason = fields.Text("Reasons for Not Accepting", tracking=True)
    refer_to = fields.Char(
        "Competent Authority",
        tracking=True,
        help="When the matter is not within the bureau's powers: the authority to apply to "
        "(行政许可法 art. 32 (2)).",
    )
    decided_on = fields.Date("Acceptance Decided On", readonly=True, tracking=True)
    accepted_on = fields.Date(
        readonly=True,
        tracking=True,
        help="The day the application counts as accepted: the day of the decision, or the "
        "day of receipt when the applicant was not told within 5 working days what to "
        "supplement (行政许可法 art. 32 (4)).",
    )
    deemed_accepted = fields.Boolean("Accepted by Law", readonly=True, tracking=True, copy=False)
    acceptance_number = fields.Char("Acceptance Notice No.", readonly=True, copy=False)
    refusal_number = fields.Char("Refusal Decision No.", readonly=True, copy=False)
    acceptance_deadline = fields.Date(
        "Supplement or Acceptance By",
        compute="_compute_deadlines",
        store=True,
        help="5 working days from receipt: tell the applicant at once everything to "
        "supplement, or accept (行政许可法 art. 32 (4), 82).",
    )
    decision_deadline = fields.Date(compute="_compute_deadlines", store=True, tracking=True)
    extension_days = fields.Integer(readonly=True, tracking=True)
    case_id = fields.Many2one("hr.enforcement.case", "Licensing Case", readonly=True, copy=False)
    counter_clip_id = fields.Many2one(
        "hr.enforcement.av.clip", "Counter Recording", tracking=True, copy=False
    )
    period_set = fields.Selection(related="matter_id.period_set")
    accepted_by_law_now = fields.Boolean(
        compute="_compute_accepted_by_law_now",
        help="The 5 working days to ask for a supplement are over: accepting records the "
        "application as accepted from its receipt (行政许可法 art. 32 (4)).",
    )
    calendar_gap_note = fields.Char(compute="_compute_calendar_gap_note")
    clip_proposal_ids = fields.Many2many(
        "hr.enforcement.av.clip",
        compute="_compute_clip_proposal_ids",
        string="Proposed Recordings",
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
            application._draw_checklist()
        return applications

    def _draw_checklist(self):
        """The matter's materials, as they stand on the day of registration (R6.1)."""
        for application in self:
            application._app("hr.enforcement.application.material").write(
                {
                    "material_ids": [
                        (
                            0,
                            0,
                            {
                                "matter_material_id": m.id,
                                "name": m.name,
                                "mandatory": m.mandatory,
                                "sequence": m.sequence,
                            },
                        )
                        for m in application.matter_id.material_ids
                    ]
                }
            )

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
        """Tell the applicant, at once and once only, every material still missing, within
        5 working days of receipt, in a numbered 补正告知书 (行政许可法 第三十二条第一款第四项)."""
        self._check_open()
        today = fields.Date.context_today(self)
        for application in self:
            if application.supplement_number:
                raise UserError(
                    _(
                        "%(name)s: the applicant is told what to supplement once, everything "
                        "at once (行政许可法 art. 32 (4)).",
                        name=application.name,
                    )
                )
            if application._deems_acceptance(today):
                raise UserError(
                    _(
                        "%(name)s: the 5 working days to request a supplement ended on "
                        "%(day)s; the application is accepted by law from its receipt "
                        "(行政许可法 art. 32 (4)). Accept it.",
                        name=application.name,
                        day=application.acceptance_deadline,
                    )
                )
            missing = application._missing_materials()
            if not missing:
                raise UserError(_("Every required material is in: accept the application."))
            # before a number is taken: a document that cannot be sealed is not issued
            self.env["hr.enforcement.signing.key"]._active_for(application.company_id)
            application._app().write(
                {
                    "state": "supplement",
                    "supplement_notice": "\n".join(missing.mapped("name")),
                    "supplement_date": today,
                    **application._number_document("supplement", today),
                }
            )
            application._issue_counter_document("supplement")
            application._app("mail.message").message_post(
                body=_(
                    "Supplement requested in %(number)s: %(materials)s",
                    number=application.supplement_number,
                    materials=", ".join(missing.mapped("name")),
                )
            )
        return True

    def action_accept(self):
        """Accept (R6.1): every required material in, or accepted by law; the case of the
        matter's type opens, filed on the day of acceptance, and the applicant receives the
        numbered 受理通知书."""
        self._check_open()
        today = fields.Date.context_today(self)
        for application in self:
            deemed = application._deems_acceptance(today)
            missing = application._missing_materials()
            if missing and not deemed:
                raise UserError(
                    _(
                        "%(name)s lacks required materials: %(materials)s. Request a supplement.",
                        name=application.name,
                        materials=", ".join(missing.mapped("name")),
                    )
                )
            self.env["hr.enforcement.signing.key"]._active_for(application.company_id)
            application._open_case(today, deemed)
        return True

    def _open_case(self, today, deemed):
        self.ensure_one()
        received = fields.Date.context_today(self, self.received_at)
        accepted_on = received if deemed else today
        case = self.env["hr.enforcement.case"].create(self._case_values())
        self._app().write(
            {
                "state": "accepted",
                "decided_on": today,
                "accepted_on": accepted_on,
                "deemed_accepted": deemed,
                "case_id": case.id,
                **self._number_document("accepted", today),
            }
        )
        # acceptance is the filing: no separate approval to open the case (R6.1)
        case._app().write({"date_filed": accepted_on, "application_id": self.id})
        self._issue_counter_document_or_say("accepted")
        self._app("mail.message").message_post(
            body=_(
                "Accepted by law from its receipt on %(day)s: nobody told the applicant in time "
                "what to supplement (行政许可法 art. 32 (4)). Case %(case)s opened.",
                day=accepted_on,
                case=case.name,
            )
            if deemed
            else _("Accepted; case %(case)s opened.", case=case.name)
        )
        if self.counter_clip_id:
            self._link_counter_clip()
        return case

    def _case_values(self):
        return {
            "subject": f"{self.matter_id.name}: {self.applicant_id.name}",
            "enforcement_type": self.matter_id.enforcement_type,
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
        """Not accepted, with written reasons, in a numbered 不予受理决定书 (第三十二条)."""
        self._check_open()
        today = fields.Date.context_today(self)
        for application in self:
            if not (application.refusal_reason or "").strip():
                raise UserError(
                    _("Write the reasons for not accepting %(name)s.", name=application.name)
                )
            self.env["hr.enforcement.signing.key"]._active_for(application.company_id)
            application._app().write(
                {
                    "state": "rejected",
                    "decided_on": today,
                    **application._number_document("rejected", today),
                }
            )
            application._issue_counter_document("rejected")
            application._app("mail.message").message_post(
                body=_("Not accepted: %(number)s.", number=application.refusal_number)
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
