import os

from odoo import _, api, fields, models
from odoo.exceptions import UserError

OPEN_STAGES = ("initiation", "investigation", "decision", "service")
MEDIA_BY_MIMETYPE = {"image": "photo", "audio": "audio", "video": "video"}


class HrEnforcementAvClip(models.Model):
    """A file that a docking station pushed (R4.2, R18.2), kept until it is an AV record
    of a case. Assigned at once when the officer handles exactly one open case;
    otherwise it waits in the inbox until the officer (or a manager) names the case.
    Lateness is measured, as for any AV record, from the capture time to the time the
    file arrived (`received_at`), not to the time it was assigned.
    """

    _name = "hr.enforcement.av.clip"
    _description = "Station Clip"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    # once assigned, a clip is content of its record's case (R20.1: need-to-know, exports)
    _guard_case_field = "av_record_id.case_id"
    _guard_rule_ref = "R18.2, R22.3"
    _guard_open_states = ("unassigned",)
    _order = "received_at desc, id desc"

    name = fields.Char("File Name", required=True, readonly=True)
    station_id = fields.Many2one(
        "hr.enforcement.station", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    device_id = fields.Many2one(
        "hr.enforcement.av.device", required=True, readonly=True, ondelete="restrict"
    )
    officer_id = fields.Many2one("hr.employee", readonly=True, index=True)
    officer_user_id = fields.Many2one(related="officer_id.user_id", string="Officer's User")
    capture_start = fields.Datetime(required=True, readonly=True)
    capture_end = fields.Datetime(readonly=True)
    received_at = fields.Datetime(required=True, readonly=True)
    store_fname = fields.Char(readonly=True, groups="base.group_system")
    sha256 = fields.Char("SHA-256", readonly=True)
    sm3 = fields.Char("SM3", readonly=True)
    # the resumable upload it came from: registering an upload twice finds it (R22.3)
    upload_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    _sql_constraints = [
        ("upload_token_unique", "unique(upload_token)", "An upload is registered once.")
    ]
    file_size = fields.Float("Size (bytes)", digits=(20, 0), readonly=True)
    mimetype = fields.Char(readonly=True)
    state = fields.Selection(
        [("unassigned", "Unassigned"), ("assigned", "Assigned")],
        default="unassigned",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    unassigned_reason = fields.Char("Why Not Assigned", readonly=True)
    target_case_id = fields.Many2one(
        "hr.enforcement.case",
        "Case",
        domain=[("stage", "in", OPEN_STAGES)],
        help="The case this clip is evidence of.",
    )
    record_name = fields.Char("Record Title", help="Title of the AV record made from the clip.")
    media_type = fields.Selection(
        [
            ("photo", "Photo"),
            ("audio", "Audio"),
            ("video", "Video"),
            ("surveillance", "Surveillance"),
        ],
        compute="_compute_media_type",
        store=True,
        readonly=False,
    )
    av_record_id = fields.Many2one("hr.enforcement.av.record", "AV Record", readonly=True)
    application_ids = fields.One2many(
        "hr.enforcement.application",
        "counter_clip_id",
        string="Applications",
        readonly=True,
        help="The applications whose reception this counter recording shows (R6.2).",
    )
    assigned_by = fields.Many2one("res.users", readonly=True)
    assigned_at = fields.Datetime(readonly=True)

    @api.depends("mimetype")
    def _compute_media_type(self):
        for clip in self:
            clip.media_type = clip.media_type or MEDIA_BY_MIMETYPE.get(
                (clip.mimetype or "").split("/")[0], "video"
            )

    def _facts(self):
        """The stored file, as `_ingest()` gave it."""
        clip = self.sudo()
        return {
            "store_fname": clip.store_fname,
            "sha256": clip.sha256,
            "sm3": clip.sm3,
            "file_size": clip.file_size,
            "mimetype": clip.mimetype,
        }

    def _open_cases_of_officer(self):
        if not self.officer_id:
            return self.env["hr.enforcement.case"]
        return (
            self.env["hr.enforcement.case"]
            .sudo()
            .search(
                [
                    ("handler_id", "=", self.officer_id.id),
                    ("stage", "in", OPEN_STAGES),
                    ("company_id", "=", self.company_id.id),
                    ("date_received", "<=", fields.Date.to_date(self.capture_start)),
                ]
            )
        )

    def _assign_automatically(self):
        """Assign the clip to its officer's one open case, or say why it waits."""
        self.ensure_one()
        cases = self._open_cases_of_officer()
        if len(cases) != 1:
            if not self.officer_id:
                reason = _("The station named no officer and the device has no holder.")
            elif not cases:
                reason = _("%(officer)s handles no open case.", officer=self.officer_id.name)
            else:
                reason = _(
                    "%(officer)s handles %(count)s open cases.",
                    officer=self.officer_id.name,
                    count=len(cases),
                )
            self._app().write({"unassigned_reason": reason})
            self._notify_unassigned()
            return
        try:
            with self.env.cr.savepoint():
                self.sudo().write({"target_case_id": cases.id})
                # as the station's account: the case's log names the station, not a person
                self.with_user(self.station_id.user_id).sudo()._assign()
        except UserError as error:  # the case takes no record now: the clip waits, kept
            self._app().write({"unassigned_reason": error.args[0]})
            self._notify_unassigned()

    def _notify_unassigned(self):
        """An activity for the officer (or the station's department leader) to assign it."""
        user = self.officer_user_id or self.station_id.department_id.manager_id.user_id
        if user:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=_("Assign the clip %(name)s to its case (R18.2)", name=self.name),
            )

    def action_assign(self):
        """Make each clip an AV record of its case, in the user's rights on that case."""
        for clip in self:
            if not clip.target_case_id:
                raise UserError(_("Choose the case of the clip %(name)s.", name=clip.name))
            clip._assign()
        return True

    def _assign(self):
        """Make the clip an AV record of its target case, once."""
        self.ensure_one()
        if self.state != "unassigned":
            raise UserError(_("The clip %(name)s is assigned already.", name=self.name))
        record = self._record_on_case(
            self.target_case_id, self.record_name or os.path.splitext(self.name)[0], self.media_type
        )
        self._mark_assigned(record)
        return record

    def _record_on_case(self, case, name, media_type):
        """A new AV record of `case` holding the clip's stored file, checked first: nothing
        damaged becomes evidence (R22.4). A counter's segment may be the record of several
        applications' cases; its bytes are stored once."""
        self.ensure_one()
        facts = self._facts()
        state = self.env["hr.enforcement.filestore"]._fixity_of(
            facts["store_fname"], facts["sha256"]
        )
        if state != "ok":
            labels = self.env["hr.enforcement.evidence.file"]._fields["fixity_state"]
            state = dict(labels._description_selection(self.env))[state]
            raise UserError(
                _(
                    "The file of the clip %(name)s is %(state)s on disk; it is not assigned. "
                    "Report it to the archivist.",
                    name=self.name,
                    state=state,
                )
            )
        officer = self.officer_id or self.device_id.holder_id or self.env.user.employee_id
        record = self.env["hr.enforcement.av.record"].create(
            {
                "case_id": case.id,
                "name": name,
                "media_type": media_type or "video",
                "device_id": self.device_id.id,
                "officer_id": officer.id,
                "capture_start": self.capture_start,
                "capture_end": self.capture_end,
            }
        )
        # uploaded when it arrived from the station, whenever it is assigned (R18.2)
        self.env["hr.enforcement.evidence.file"]._register_stored(
            dict(facts, uploaded_at=self.received_at), self.name, record
        )
        return record

    def _mark_assigned(self, record):
        self._app().write(
            {
                "state": "assigned",
                "av_record_id": record.id,
                "assigned_by": self.env.user.id,
                "assigned_at": fields.Datetime.now(),
                "unassigned_reason": False,
            }
        )
        self.sudo().activity_ids.action_feedback(
            feedback=_("Assigned to %(case)s.", case=record.case_id.display_name)
        )

    def action_view_av_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.enforcement.av.record",
            "res_id": self.av_record_id.id,
            "view_mode": "form",
        }
