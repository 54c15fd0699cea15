from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

_STEP_FIELDS = {
    "notified": ("hearing_notice_date", "hearing_datetime", "venue", "presiding_id"),
    "held": ("transcript_id",),
    "reported": ("report_id",),
}


class HrEnforcementHearing(models.Model):
    """A hearing (听证) requested after an advance notice (R9.1, R10.1, R3.2; 行政处罚法
    第63–65条): requested within five working days, notified seven working days before it,
    presided by someone who did not investigate the case, public unless secrets or privacy,
    AV-recorded, its transcript signed by those present (or their refusal noted), and
    closed by a hearing report on which the decision rests."""

    _name = "hr.enforcement.hearing"
    _description = "Hearing"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _guard_parent_fields = ("notice_id",)
    _guard_immutable_fields = frozenset({"notice_id", "request_date"})
    _guard_open_stages = ("decision",)
    _guard_open_states = ("requested", "notified", "held")
    _guard_event_on_create = "hearing"
    _guard_rule_ref = "R9.1, R10.1"
    _order = "id desc"

    notice_id = fields.Many2one(
        "hr.enforcement.penalty.notice", required=True, ondelete="restrict", index=True
    )
    case_id = fields.Many2one(related="notice_id.case_id", store=True, index=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("notified", "Notified"),
            ("held", "Held"),
            ("reported", "Reported"),
            ("abandoned", "Abandoned by the party"),
        ],
        default="requested",
        required=True,
        readonly=True,
        tracking=True,
    )
    request_date = fields.Date("Requested On", required=True, tracking=True)
    hearing_notice_date = fields.Date("Hearing Notice Served On", tracking=True)
    hearing_datetime = fields.Datetime("Held On", tracking=True)
    venue = fields.Char(tracking=True)
    presiding_id = fields.Many2one(
        "hr.employee", "Presiding Officer", tracking=True, check_company=True
    )
    recorder_id = fields.Many2one("hr.employee", tracking=True)
    is_public = fields.Boolean("Public", default=True, tracking=True)
    private_reason = fields.Selection(
        [
            ("commercial_secret", "Commercial secret"),
            ("privacy", "Personal privacy"),
            ("state_secret", "State secret"),
        ],
        "Held in Private Because",
        tracking=True,
    )
    recusal_request = fields.Text(help="The party's request that the presiding officer withdraw.")
    recusal_decision = fields.Text(help="How the request was decided, and by whom.")
    av_record_id = fields.Many2one(
        "hr.enforcement.av.record", "AV Record", domain="[('case_id', '=', case_id)]"
    )
    av_exemption_reason = fields.Text("Why No AV Record", help="R10.1")
    transcript_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Hearing Transcript",
        domain="[('case_id', '=', case_id), ('document_type_id.code', '=', 'hearing')]",
    )
    report_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Hearing Report",
        domain="[('case_id', '=', case_id), ('document_type_id.code', '=', 'hearing_report')]",
    )
    abandon_reason = fields.Text(
        help="The party did not attend or left without leave (行政处罚法 art. 64 (6))."
    )

    @api.depends("case_id", "request_date")
    def _compute_display_name(self):
        for hearing in self:
            hearing.display_name = _("Hearing of %(case)s", case=hearing.case_id.name or "")

    def _guard_event_texts(self):
        return self.display_name, _("Requested on %(date)s", date=self.request_date)

    @api.constrains("request_date", "notice_id")
    def _check_request(self):
        for hearing in self:
            notice = hearing.notice_id
            if not notice.hearing_right:
                raise ValidationError(
                    _("The proposed penalty carries no right to a hearing (行政处罚法 art. 63).")
                )
            if not notice.date_served or hearing.request_date < notice.date_served:
                raise ValidationError(_("A hearing is requested after the notice is served."))
            if hearing.request_date > notice.hearing_deadline:
                raise ValidationError(
                    _(
                        "A hearing is requested within %(days)s working days of the notice, "
                        "by %(date)s (行政处罚法 art. 64 (1), 85).",
                        days=5,
                        date=notice.hearing_deadline,
                    )
                )

    @api.constrains("presiding_id", "recorder_id")
    def _check_presiding(self):
        for hearing in self.filtered("presiding_id"):
            case = hearing.case_id
            investigators = case.handler_id | case.investigation_ids.officer_line_ids.employee_id
            if hearing.presiding_id in investigators:
                raise ValidationError(
                    _(
                        "%(person)s investigated the case and cannot preside over its hearing "
                        "(行政处罚法 art. 64 (4)).",
                        person=hearing.presiding_id.name,
                    )
                )
            if hearing.recorder_id and hearing.recorder_id == hearing.presiding_id:
                raise ValidationError(_("The presiding officer does not keep the record."))

    @api.constrains("is_public", "private_reason")
    def _check_public(self):
        for hearing in self:
            if not hearing.is_public and not hearing.private_reason:
                raise ValidationError(
                    _(
                        "A hearing is public unless it concerns secrets or privacy: give the "
                        "reason (行政处罚法 art. 64 (3))."
                    )
                )

    @api.constrains("recusal_request", "recusal_decision")
    def _check_recusal(self):
        for hearing in self:
            if (
                hearing.recusal_request
                and hearing.state != "requested"
                and not (hearing.recusal_decision)
            ):
                raise ValidationError(_("Record how the request for withdrawal was decided."))

    def _require(self, step):
        for hearing in self:
            missing = [
                hearing._fields[name].get_description(self.env)["string"]
                for name in _STEP_FIELDS[step]
                if not hearing[name]
            ]
            if missing:
                raise UserError(_("Missing for this step: %(fields)s.", fields=", ".join(missing)))

    def _move(self, state, description):
        self._app().write({"state": state})
        for hearing in self:
            self.env["hr.enforcement.event"]._log(hearing.case_id, "hearing", hearing, description)

    def _check_day_come(self):
        if self.hearing_datetime > fields.Datetime.now():
            raise UserError(
                _(
                    "The hearing is set for %(when)s: what happened at it is recorded afterwards.",
                    when=fields.Datetime.context_timestamp(self, self.hearing_datetime).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                )
            )

    def action_notify(self):
        """The party is told the time and place seven working days before (art. 64 (2))."""
        self._require("notified")
        calendar = self.env["hr.enforcement.holiday"]
        for hearing in self:
            if hearing.state != "requested":
                raise UserError(_("Only a requested hearing is notified."))
            day = fields.Date.context_today(hearing, hearing.hearing_datetime)
            earliest = calendar._period_end("hearing_notice", hearing.hearing_notice_date)
            if day < earliest:
                raise UserError(
                    _(
                        "A hearing notified on %(notified)s is held on %(earliest)s at the "
                        "earliest: the party is told seven working days before "
                        "(行政处罚法 art. 64 (2), 85).",
                        notified=hearing.hearing_notice_date,
                        earliest=earliest,
                    )
                )
        self._move("notified", _("Hearing notified"))

    def action_held(self):
        """Held: AV-recorded or the reason why not (R10.1), the transcript signed by those
        present or their refusal noted by the presiding officer (R9.2, R9.3; art. 64 (8))."""
        self._require("held")
        for hearing in self:
            if hearing.state != "notified":
                raise UserError(_("Only a notified hearing is held."))
            hearing._check_day_come()
            if not (hearing.av_record_id or hearing.av_exemption_reason):
                raise UserError(
                    _("A hearing is AV-recorded, or the reason why not is written (R10.1).")
                )
            transcript = hearing.transcript_id
            if not (transcript.party_signed or transcript.refusal_note) or not (
                transcript.officers_signed
            ):
                raise UserError(
                    _(
                        "The hearing transcript is signed by those present, or their refusal "
                        "is noted in it (R9.2, R9.3; 行政处罚法 art. 64 (8))."
                    )
                )
            if hearing.recusal_request and not hearing.recusal_decision:
                raise UserError(_("Record how the request for withdrawal was decided."))
        self._move("held", _("Hearing held"))

    def action_report(self):
        """The hearing report, on which the decision rests (行政处罚法 art. 65, R3.2)."""
        self._require("reported")
        if any(hearing.state != "held" for hearing in self):
            raise UserError(_("A hearing report follows the hearing."))
        self._move("reported", _("Hearing report written"))

    def action_abandon(self):
        """The party stayed away or left without leave: the right is waived (art. 64 (6))."""
        for hearing in self:
            if hearing.state != "notified" or not hearing.abandon_reason:
                raise UserError(
                    _("Write how the party stayed away from the notified hearing first.")
                )
            hearing._check_day_come()
        self._move("abandoned", _("Hearing abandoned by the party"))
