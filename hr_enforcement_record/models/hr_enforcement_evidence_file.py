import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.evidence_bytes import clean_filename

_logger = logging.getLogger(__name__)

FIXITY_FIELDS = frozenset({"fixity_state", "last_verified_at", "last_ok_at"})
DEFAULT_REHASH_BYTES = 64 * 1024 * 1024  # re-hashed before each download up to this size
DEFAULT_SAMPLE_SIZE = 200  # files re-hashed each day beside the scheduled round (R22.4)


class EvidenceDamaged(UserError):
    """A stored file is not what was registered: it is never served as evidence (R22.4)."""


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
    # the resumable upload it came from: registering an upload twice finds it (R22.3)
    upload_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    _sql_constraints = [
        ("upload_token_unique", "unique(upload_token)", "An upload is registered once.")
    ]
    file_size = fields.Float("Size (bytes)", digits=(20, 0), readonly=True)
    mimetype = fields.Char(readonly=True)
    uploaded_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    uploaded_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    fixity_state = fields.Selection(
        [
            ("ok", "Intact"),
            ("missing", "Missing"),
            ("altered", "Altered"),
            ("unreadable", "Unreadable"),
        ],
        default="ok",
        readonly=True,
        index=True,
    )
    last_verified_at = fields.Datetime(readonly=True, index=True)
    last_ok_at = fields.Datetime("Last Found Intact", readonly=True)

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

    def _get_download_location(self, purpose, inline=False, origin=None, forensic=False):
        """Log the view or download (R22.2), with the record that authorised it, and return
        where the stored file is kept (its `store_fname`, read with the filestore's
        `_open()` / `_iter_bytes()`, on disk or on the object store). A damaged file is
        refused, except to a manager fetching its bytes for forensic work, with a purpose,
        logged as such (R22.4)."""
        self.ensure_one()
        if forensic:
            self._check_forensic(purpose)
        else:
            self._check_servable()
        self.env["hr.enforcement.event"]._log(
            self.case_id,
            "forensic" if forensic else ("viewed" if inline else "downloaded"),
            self,
            self.name,
            purpose=purpose or "",
            origin=origin,
        )
        return self.sudo().store_fname

    def _check_forensic(self, purpose):
        if not self.env.user.has_group("hr_enforcement_record.hr_enforcement_record_group_manager"):
            raise AccessError(_("Only a manager fetches a damaged file for forensic work (R22.4)."))
        if not (purpose or "").strip():
            raise UserError(_("Give the purpose of the forensic download (R22.2)."))

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

        Each file is checked in a savepoint of its own: a read error is the file's state
        ("unreadable"), never the end of the batch. Returns the files found damaged. Alerts
        go out only when the state changes, so a re-run never notifies twice; a file found
        intact again closes its alerts.
        """
        store = self.env["hr.enforcement.filestore"]
        broken = self.browse()
        for evidence in self.sudo():  # sudo: the fixity check reads every stored file
            try:
                with self.env.cr.savepoint():
                    state = store._fixity_of(evidence.store_fname, evidence.sha256)
                    evidence._record_fixity(state)
            except Exception:
                _logger.exception("Fixity check of evidence file %s failed", evidence.id)
                with self.env.cr.savepoint():
                    evidence._record_fixity("unreadable")
            if evidence.fixity_state != "ok":
                broken |= evidence
        return self.browse(broken.ids)

    def _record_fixity(self, state):
        """Store the outcome of a check of this file, log it, alert on a change."""
        self.ensure_one()
        changed = state != self.fixity_state
        now = fields.Datetime.now()
        values = {"fixity_state": state, "last_verified_at": now}
        if state == "ok":
            values["last_ok_at"] = now
        self._app().write(values)
        if changed or state != "ok":
            self.env["hr.enforcement.event"]._log(
                self.case_id,
                "verified",
                self,
                _("%(name)s: %(state)s", name=self.name, state=self._state_label()),
            )
        if changed and state != "ok":
            self._alert_broken()
        elif changed:
            self._close_alerts()

    def _state_label(self):
        return dict(self._fields["fixity_state"]._description_selection(self.env))[
            self.fixity_state
        ]

    def _alert_recipients(self):
        """Who hears of a damaged file: the handler, the department's leader and the
        archivists — not the handler alone, who may be the one who tampered (R22.4)."""
        case = self.case_id
        users = case.handler_id.user_id | case.handler_id.parent_id.user_id
        users |= case.department_id.manager_id.user_id
        users |= self.env.ref("hr_enforcement_record.hr_enforcement_record_group_archivist").users
        users = users.filtered("active")
        return users or self.env.ref("base.user_admin")

    def _alert_ref(self):
        """The file's mark in its alerts' summaries, the same in every language."""
        return f"[EF-{self.id}]"

    def _alert_broken(self):
        case = self.case_id
        for user in self._alert_recipients():
            local = self.with_context(lang=user.lang or self.env.lang)
            label = local._state_label()
            case.activity_schedule(
                "hr_enforcement_record.mail_activity_type_fixity",
                summary=local.env._(
                    "Evidence file %(name)s %(ref)s is %(state)s",
                    name=self.name,
                    ref=self._alert_ref(),
                    state=label,
                ),
                note=local.env._(
                    "The fixity check found evidence file %(name)s (SHA-256 %(sha)s) "
                    "%(state)s. Report it and restore it from the backup (R22.4).",
                    name=self.name,
                    sha=self.sha256,
                    state=label,
                ),
                user_id=user.id,
            )

    def _close_alerts(self):
        """A file found intact again (restored from the backup) closes its alerts."""
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        alerts = self.case_id.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and self._alert_ref() in (a.summary or "")
        )
        alerts.action_feedback(feedback=_("The file was found intact again."))

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
        resumable: progress is `last_verified_at` itself, which every outcome (damaged
        files included) moves on, so a bad file never starves the others."""
        params = self.env["ir.config_parameter"].sudo()
        interval = int(params.get_param("hr_enforcement.fixity_interval_days", 30))
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=interval)
        domain = ["|", ("last_verified_at", "=", False), ("last_verified_at", "<", cutoff)]
        todo = self.sudo().search(
            domain, order="last_verified_at asc nulls first, id", limit=batch_size
        )
        todo._verify()
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(todo), remaining=remaining)
        return len(todo), remaining

    @api.model
    def _cron_verify_sample(self):
        """Each day, re-hash a random sample of the files not checked today, so that
        tampering between two rounds is found within days, not only after the interval
        (R22.4). `hr_enforcement.fixity_sample_size` files (200 by default)."""
        size = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("hr_enforcement.fixity_sample_size", DEFAULT_SAMPLE_SIZE)
        )
        since = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM hr_enforcement_evidence_file "
                "WHERE last_verified_at IS NULL OR last_verified_at < %s "
                "ORDER BY random() LIMIT %s",
                since,
                size,
            )
        )
        sample = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        sample._verify()
        return sample

    # ------------------------------------------------------------------ serving
    def _check_servable(self):
        """Refuse to serve a file that is not what was registered (R22.4): its recorded
        state, its size, and — up to `hr_enforcement.download_rehash_max_bytes` — its
        hash are checked first. A fault found here is recorded (and alerted) before the
        refusal is raised: the download route keeps that record when it answers."""
        self.ensure_one()
        evidence = self.sudo()
        state = evidence.fixity_state
        if state == "ok":
            store = self.env["hr.enforcement.filestore"]
            limit = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("hr_enforcement.download_rehash_max_bytes", DEFAULT_REHASH_BYTES)
            )
            state = store._fixity_of(evidence.store_fname, evidence.sha256, evidence.file_size)
            if state == "ok" and evidence.file_size <= limit:
                state = store._fixity_of(evidence.store_fname, evidence.sha256)
            if state != "ok":
                evidence._record_fixity(state)
        if state != "ok":
            raise EvidenceDamaged(
                _(
                    "%(name)s is %(state)s and is not served as evidence (R22.4). Registered "
                    "SHA-256 %(sha)s, SM3 %(sm3)s; last found intact on %(day)s.",
                    name=evidence.name,
                    state=evidence._state_label(),
                    sha=evidence.sha256,
                    sm3=evidence.sm3 or "-",
                    day=evidence.last_ok_at or evidence.uploaded_at,
                )
            )
