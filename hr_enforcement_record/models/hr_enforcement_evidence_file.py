from odoo import _, api, fields, models

from .hr_enforcement_filestore import clean_filename

FIXITY_FIELDS = frozenset({"fixity_state", "last_verified_at"})


class HrEnforcementEvidenceFile(models.Model):
    """One stored evidence file, byte for byte, with its fixity (R22.3, R22.4).

    Files arrive through the streaming upload route or `_create_from_stream()`; their
    content fields never change and a registered file is never deleted. A preview or a
    redaction is a new file whose `original_id` names the untouched original. Readable by
    whoever reads the case; the scheduled fixity check and "Verify now" keep
    `fixity_state` current.
    """

    _name = "hr.enforcement.evidence.file"
    _description = "Evidence File"
    _order = "id desc"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _guard_parent_fields = ("text_record_id", "av_record_id", "case_id")
    _guard_always_writable = FIXITY_FIELDS

    name = fields.Char("File Name", required=True, readonly=True)
    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    text_record_id = fields.Many2one(
        "hr.enforcement.text.record", index=True, ondelete="restrict", readonly=True
    )
    av_record_id = fields.Many2one(
        "hr.enforcement.av.record", index=True, ondelete="restrict", readonly=True
    )
    original_id = fields.Many2one(
        "hr.enforcement.evidence.file",
        "Derived From",
        readonly=True,
        help="For previews and redactions: the original they were made from.",
    )
    store_fname = fields.Char(readonly=True, groups="base.group_system")
    sha256 = fields.Char("SHA-256", readonly=True, index=True)
    sm3 = fields.Char("SM3", readonly=True)
    file_size = fields.Float("Size (bytes)", digits=(20, 0), readonly=True)
    mimetype = fields.Char(readonly=True)
    uploaded_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    uploaded_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    fixity_state = fields.Selection(
        [("ok", "Intact"), ("missing", "Missing"), ("altered", "Altered")],
        default="ok",
        readonly=True,
        index=True,
    )
    last_verified_at = fields.Datetime(readonly=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        files = super().create(vals_list)
        for evidence in files:
            self.env["hr.enforcement.event"]._log(
                evidence.case_id,
                "file_added",
                evidence,
                _("%(name)s, SHA-256 %(sha)s", name=evidence.name, sha=evidence.sha256),
            )
        return files

    @api.model
    def _create_from_stream(self, stream, filename, record, expected_size=None, original=None):
        """Store `stream` and register it on `record` (a text or AV record)."""
        record.ensure_one()
        record._check_can_add_file()
        filename = clean_filename(filename)
        facts = self.env["hr.enforcement.filestore"]._ingest(stream, filename, expected_size)
        return self._register_stored(facts, filename, record, original)

    @api.model
    def _register_stored(self, facts, filename, record, original=None):
        """Register a file already in the store (`facts` from `_ingest()`) on `record`."""
        record._check_can_add_file()
        field = "text_record_id" if record._name == "hr.enforcement.text.record" else "av_record_id"
        values = dict(
            facts,
            name=clean_filename(filename),
            case_id=record.case_id.id,
            original_id=original.id if original else False,
            **{field: record.id},
        )
        # sudo: content fields are system-written; access was checked on `record`
        evidence = self.sudo()._app().create(values)
        record._on_file_added(evidence)
        return self.browse(evidence.id)  # in the caller's environment, not the system one

    @api.model
    def _get_for_download(self, file_id, params):
        """The file `file_id` if the user may open it (`params`: the route's query), else an
        empty recordset, whether it exists or not."""
        return self.search([("id", "=", file_id)])

    def _get_download_path(self, purpose, inline=False, origin=None):
        """Log the view or download (R22.2), with the record that authorised it, and return
        the stored file's path."""
        self.ensure_one()
        self.env["hr.enforcement.event"]._log(
            self.case_id,
            "viewed" if inline else "downloaded",
            self,
            self.name,
            purpose=purpose or "",
            origin=origin,
        )
        return self.env["hr.enforcement.filestore"]._full_path(self.sudo().store_fname)

    def action_view_file(self):
        """Show the file in the browser; the route logs the view (R22.2)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/hr_enforcement/evidence/{self.id}/download?inline=1",
            "target": "new",
        }

    def action_download_file(self):
        """Download the original; the route logs the download (R22.2)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/hr_enforcement/evidence/{self.id}/download",
            "target": "self",
        }

    def _verify(self):
        """Re-hash each file; record and report what changed (R22.3, R22.4).

        Returns the files found missing or altered. Alerts are raised only when the state
        changes, so a re-run never notifies twice.
        """
        Event = self.env["hr.enforcement.event"]
        store = self.env["hr.enforcement.filestore"]
        broken = self.browse()
        now = fields.Datetime.now()
        for evidence in self.sudo():  # sudo: the fixity check reads every stored file
            digest = store._hash_file(evidence.store_fname)
            state = (
                "missing" if digest is None else ("ok" if digest == evidence.sha256 else "altered")
            )
            changed = state != evidence.fixity_state
            evidence._app().write({"fixity_state": state, "last_verified_at": now})
            if state != "ok":
                broken |= evidence
            if changed or state != "ok":
                Event._log(
                    evidence.case_id,
                    "verified",
                    evidence,
                    _("%(name)s: %(state)s", name=evidence.name, state=evidence._state_label()),
                )
            if changed and state != "ok":
                evidence._alert_broken()
        return broken

    def _state_label(self):
        return dict(self._fields["fixity_state"]._description_selection(self.env))[
            self.fixity_state
        ]

    def _alert_broken(self):
        case = self.case_id
        user = case.handler_id.user_id or self.env.ref("base.user_admin")
        case.activity_schedule(
            "hr_enforcement_record.mail_activity_type_fixity",
            summary=_(
                "Evidence file %(name)s is %(state)s", name=self.name, state=self._state_label()
            ),
            note=_(
                "The scheduled fixity check found evidence file %(name)s (SHA-256 %(sha)s) "
                "%(state)s. Report it and restore it from the backup (R22.4).",
                name=self.name,
                sha=self.sha256,
                state=self._state_label(),
            ),
            user_id=user.id,
        )

    def action_verify(self):
        broken = self._verify()
        message = (
            _(
                "%(count)s file(s) missing or altered: %(names)s",
                count=len(broken),
                names=", ".join(broken.mapped("name")),
            )
            if broken
            else _("All %(count)s file(s) are intact.", count=len(self))
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Fixity check"),
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }

    @api.model
    def _cron_verify_fixity(self, batch_size=50):
        """Re-verify the files checked longest ago, in batches (R22.4). Idempotent and
        resumable: progress is `last_verified_at` itself."""
        interval = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("hr_enforcement.fixity_interval_days", 30)
        )
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=interval)
        domain = ["|", ("last_verified_at", "=", False), ("last_verified_at", "<", cutoff)]
        todo = self.sudo().search(
            domain, order="last_verified_at asc nulls first, id", limit=batch_size
        )
        todo._verify()
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=remaining)
