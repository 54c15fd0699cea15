from PIL import Image

from odoo import _, api, fields, models
from odoo.tools.mimetypes import guess_mimetype

# DA/T 70 usability: formats fit for long-term keeping
ALLOWED_FORMATS = {
    "application/pdf",
    "application/ofd",
    "image/jpeg",
    "image/tiff",
    "image/png",
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "video/mp4",
}
HEAD_BYTES = 64 * 1024

# methods whose proof of service is the signed 送达回证 itself
RECEIPT_METHODS = ("direct", "lodged", "entrusted")


class HrEnforcementArchiveCheck(models.Model):
    """One run of the four checks (四性检测, DA/T 70) of a case file before archiving:
    authenticity, integrity, usability and security. Each run is kept as written, passed
    or not; nobody edits or deletes it (R18.1, R22.3, R22.4)."""

    _name = "hr.enforcement.archive.check"
    _description = "Archive Check (四性检测)"
    _order = "id desc"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _guard_parent_fields = ("case_file_id",)
    _guard_case_field = "case_file_id.case_id"

    case_file_id = fields.Many2one(
        "hr.enforcement.case.file", required=True, readonly=True, index=True, ondelete="restrict"
    )
    run_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", required=True, readonly=True)
    passed = fields.Boolean(readonly=True)
    file_count = fields.Integer(readonly=True)
    report = fields.Text(readonly=True)
    failures = fields.Text(readonly=True)

    @api.depends("case_file_id", "run_at", "passed")
    @api.depends_context("lang", "tz")
    def _compute_display_name(self):
        outcome = {True: _("passed"), False: _("failed")}
        for check in self:
            when = fields.Datetime.context_timestamp(check, check.run_at) if check.run_at else ""
            check.display_name = (
                f"{check.case_file_id.display_name} {when and when.strftime('%Y-%m-%d %H:%M')} "
                f"{outcome[bool(check.passed)]}"
            )

    @api.model
    def _evaluate(self, case_file):
        """The four checks of `case_file` as (aspect, ok, message), nothing recorded."""
        case = case_file.case_id
        files = self._get_files(case)
        results = []
        results += self._check_authenticity(case, files)
        results += self._check_integrity(case_file)
        results += self._check_usability_and_security(files)
        return results

    @api.model
    def _get_files(self, case):
        return self.env["hr.enforcement.evidence.file"].sudo().search([("case_id", "=", case.id)])

    @api.model
    def _run(self, case_file):
        files = self._get_files(case_file.case_id)
        results = self._evaluate(case_file)  # (aspect, ok, message)
        labels = {
            "authenticity": _("Authenticity"),
            "integrity": _("Integrity"),
            "usability": _("Usability"),
            "security": _("Security"),
        }
        outcome = {True: _("OK"), False: _("FAILED")}
        lines = [f"[{labels[aspect]}] {outcome[ok]}: {message}" for aspect, ok, message in results]
        failures = [line for line, (_a, ok, _m) in zip(lines, results, strict=True) if not ok]
        return (
            self.sudo()
            ._app()
            .create(
                {
                    "case_file_id": case_file.id,
                    "user_id": self.env.uid,
                    "passed": not failures,
                    "file_count": len(files),
                    "report": "\n".join(lines),
                    "failures": "\n".join(failures),
                }
            )
        )

    def _check_authenticity(self, case, files):
        """Every file re-hashed against its stored SHA-256; its content is what its metadata
        says; the event chain is unbroken."""
        results = []
        files._verify()
        for evidence in files:
            if evidence.fixity_state != "ok":
                results.append(
                    (
                        "authenticity",
                        False,
                        _(
                            "%(file)s is %(state)s: its content no longer matches its fingerprint.",
                            file=evidence.name,
                            state=evidence._state_label(),
                        ),
                    )
                )
                continue
            head = self._read_head(evidence)
            sniffed = guess_mimetype(head, default="application/octet-stream")
            declared = evidence.mimetype or ""
            if (
                sniffed != "application/octet-stream"
                and sniffed.split("/")[0] != declared.split("/")[0]
            ):
                results.append(
                    (
                        "authenticity",
                        False,
                        _(
                            "%(file)s is declared as %(declared)s but contains %(sniffed)s.",
                            file=evidence.name,
                            declared=declared,
                            sniffed=sniffed,
                        ),
                    )
                )
        broken = self.env["hr.enforcement.event"].sudo()._find_break(case)
        if broken:
            results.append(
                ("authenticity", False, _("The evidence log was altered: %(what)s.", what=broken))
            )
        if not results:
            results.append(
                (
                    "authenticity",
                    True,
                    _("%(count)s file(s) re-hashed; evidence log intact.", count=len(files)),
                )
            )
        return results

    def _check_integrity(self, case_file):
        """Completeness matrix satisfied or excused, items numbered without gaps, the
        approval chain present."""
        case = case_file.case_id
        results = []
        self.env.flush_all()
        missing = self.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("status", "=", "missing")]
        )
        for line in missing:
            results.append(
                (
                    "integrity",
                    False,
                    _(
                        "Missing %(record)s (%(ref)s), neither recorded nor excused.",
                        record=line.requirement_id.name,
                        ref=line.requirement_ref,
                    ),
                )
            )
        for item in case_file.item_ids:
            # the records' files as they are now, not the count noted at assembly
            files = item.text_record_id.file_ids or item.av_record_id.file_ids
            if not files and not (item.no_file_reason or "").strip():
                results.append(
                    (
                        "integrity",
                        False,
                        _(
                            "Item %(number)s, %(name)s, has no file: add it to its record "
                            "or write why there is none (R18.1).",
                            number=item.sequence,
                            name=item.name,
                        ),
                    )
                )
        results += self._check_retention_schedule(case_file)
        numbers = case_file.item_ids.mapped("sequence")
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            results.append(("integrity", False, _("The catalog numbering has gaps.")))
        if case.date_decided and not case._approval_is_granted("decision"):
            results.append(
                ("integrity", False, _("The approval chain of the decision is missing (R21.1)."))
            )
        # sudo: the check reads every service of the case, whoever runs it
        services = case.sudo().service_ids
        # 民事诉讼法 第八十七、八十九、九十四条 (行政处罚法 第六十一条): served in person, by
        # lodging or through another, the proof of service is the 送达回证 that came back
        # signed; the post's proof is its 回执 (第九十一条), a public notice its account
        # (第九十五条), fax or e-mail its transmission record (第九十条): facts the service
        # holds before it counts as served (R14.1–R14.6)
        unproven = services.filtered(
            lambda s: s.state == "served" and s.method in RECEIPT_METHODS and not s.returned
        )
        for service in unproven:
            results.append(
                (
                    "integrity",
                    False,
                    _(
                        "The service %(service)s counts as served but its signed service "
                        "receipt has not come back: scan it when it returns (民事诉讼法 "
                        "art. 87; R14.1).",
                        service=service.name,
                    ),
                )
            )
        pending = services.filtered(lambda s: s.state == "draft")
        for service in pending:
            results.append(
                (
                    "integrity",
                    False,
                    _(
                        "The service %(service)s is neither done nor failed (R14).",
                        service=service.name,
                    ),
                )
            )
        if not results:
            results.append(
                (
                    "integrity",
                    True,
                    _("%(count)s catalog item(s), complete and numbered.", count=len(numbers)),
                )
            )
        return results

    def _check_retention_schedule(self, case_file):
        """R18.3: the file's period comes from a line of the schedule for its category, and
        every line applied was confirmed by the archivist."""
        case = case_file.case_id
        lines = case_file._get_retention_lines()
        results = []
        if not lines.filtered(lambda r: not r.document_type_id):
            kinds = dict(case._fields["enforcement_type"]._description_selection(self.env))
            results.append(
                (
                    "integrity",
                    False,
                    _(
                        "The retention schedule has no line for case files of type "
                        "%(type)s: the archivist adds it (R18.3).",
                        type=kinds.get(case.enforcement_type, case.enforcement_type),
                    ),
                )
            )
        for line in lines.filtered(lambda r: not r.confirmed_on):
            results.append(
                (
                    "integrity",
                    False,
                    _(
                        "The retention schedule line %(line)s is not confirmed by the "
                        "archivist (R18.3).",
                        line=line.name,
                    ),
                )
            )
        return results

    def _check_usability_and_security(self, files):
        """Formats on the allow-list that really open; nothing encrypted or protected."""
        results = []
        for evidence in files.filtered(lambda f: f.fixity_state == "ok"):
            head = self._read_head(evidence)
            mimetype = evidence.mimetype or ""
            if mimetype not in ALLOWED_FORMATS:
                results.append(
                    (
                        "usability",
                        False,
                        _(
                            "%(file)s: format %(format)s is not kept for the long term.",
                            file=evidence.name,
                            format=mimetype or "?",
                        ),
                    )
                )
            elif not self._opens(evidence, head):
                results.append(
                    ("usability", False, _("%(file)s does not open.", file=evidence.name))
                )
            if self._is_encrypted(evidence, head):
                results.append(
                    (
                        "security",
                        False,
                        _("%(file)s is encrypted or password-protected.", file=evidence.name),
                    )
                )
        if not any(aspect == "usability" for aspect, _ok, _m in results):
            results.append(("usability", True, _("Every file is in a lasting format and opens.")))
        if not any(aspect == "security" for aspect, _ok, _m in results):
            results.append(("security", True, _("No file is encrypted or protected.")))
        return results

    def _open(self, evidence):
        """The stored bytes, on disk or on the object store."""
        return self.env["hr.enforcement.filestore"]._open(evidence.sudo().store_fname)

    def _read_head(self, evidence):
        with self._open(evidence) as handle:
            return handle.read(HEAD_BYTES)

    def _read_tail(self, evidence, size=4096):
        with self._open(evidence) as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - size))
            return handle.read()

    def _opens(self, evidence, head):
        mimetype = evidence.mimetype
        if mimetype == "application/pdf":
            return head.startswith(b"%PDF-") and b"%%EOF" in self._read_tail(evidence)
        if mimetype.startswith("image/"):
            try:
                # reads lazily, not into memory
                with self._open(evidence) as handle, Image.open(handle) as image:
                    image.verify()
                return True
            except Exception:  # noqa: BLE001 - whatever PIL raises, the file does not open
                return False
        if mimetype == "video/mp4":
            return head[4:8] == b"ftyp"
        if mimetype in ("audio/wav", "audio/x-wav"):
            return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
        if mimetype == "audio/mpeg":
            return head[:3] == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
        return bool(head)

    def _is_encrypted(self, evidence, head):
        if evidence.mimetype == "application/pdf":
            return b"/Encrypt" in head or b"/Encrypt" in self._read_tail(evidence, 64 * 1024)
        # OLE2 containers (password-protected Office files) and encrypted ZIP entries
        return head.startswith(b"\xd0\xcf\x11\xe0") or (
            head[:4] == b"PK\x03\x04" and len(head) > 7 and head[6] & 0x01
        )
