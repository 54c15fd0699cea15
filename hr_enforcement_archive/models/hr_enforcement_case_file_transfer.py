import base64
import io
import json
import logging
import os
import tempfile

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import GuardError
from odoo.addons.hr_enforcement_record.tools import timestamp
from odoo.addons.hr_enforcement_record.tools.chain_proof import EVENT_COLUMNS

from ..tools import transfer_package as package

_logger = logging.getLogger(__name__)


class HrEnforcementCaseFileTransfer(models.Model):
    """The hand-over (移交) of an archived case file to an archive (档案法 第十四条、第十五条,
    电子档案 第三十九条; R18.1, R18.3): the package as it left, its SHA-256 and SM3, the four
    checks run again on it (DA/T 70: at archiving, at transfer and in storage), who handed
    it to which archive and when, and the package digest time-stamped like the daily heads.
    Written once by the application, never changed nor deleted."""

    _name = "hr.enforcement.case.file.transfer"
    _description = "Case File Transfer"
    _order = "id desc"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _guard_app_creates = True
    _guard_case_field = "case_file_id.case_id"
    _guard_rule_ref = "R18.1, R22.3"
    # the package's file is stored as the record is created (an attachment made right after
    # the row); `write()` refuses it on a transfer that has it already
    _guard_always_writable = frozenset({"package"})

    case_file_id = fields.Many2one(
        "hr.enforcement.case.file", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="case_file_id.company_id", store=True)
    receiving_archive = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Handed Over By", required=True, readonly=True)
    transferred_at = fields.Datetime(required=True, readonly=True)
    package = fields.Binary(attachment=True, readonly=True)
    package_name = fields.Char(readonly=True)
    package_size = fields.Integer("Package Size (bytes)", readonly=True)
    package_sha256 = fields.Char("Package SHA-256", readonly=True)
    package_sm3 = fields.Char("Package SM3", readonly=True)
    document_count = fields.Integer("Documents", readonly=True)
    check_report = fields.Text("Checks at Transfer", readonly=True)
    tsa_token = fields.Binary("Time-Stamp Token", attachment=False, readonly=True)
    tsa_time = fields.Datetime("Time-Stamped At", readonly=True)
    tsa_authority = fields.Char("Time-Stamping Authority", readonly=True)
    tsa_error = fields.Char("Time-Stamping Error", readonly=True)

    @api.depends("case_file_id", "receiving_archive")
    def _compute_display_name(self):
        for transfer in self:
            transfer.display_name = _(
                "%(file)s to %(archive)s",
                file=transfer.case_file_id.display_name,
                archive=transfer.receiving_archive,
            )

    def write(self, vals):
        if "package" in vals and self.filtered("package_sha256"):
            raise GuardError(
                _("The package of a transfer is kept as it left, never replaced (R22.3).")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ transfer

    @api.model
    def _transfer(self, case_file, receiving_archive):
        """Build the package of `case_file`, run the four checks on the stored files and on
        the package, and record the hand-over. Returns (transfer, failures): nothing is
        recorded while a check fails, but what the checks found (a damaged file's state and
        its alert) stays, so the caller reports the failures rather than raising them."""
        case_file.ensure_one()
        if not case_file.archived or case_file.state == "disposed":
            raise UserError(_("Only an archived case file is transferred (R18.1)."))
        if not (receiving_archive or "").strip():
            raise UserError(_("Name the archive that receives the file."))
        # the four checks on the stored files again, at transfer (DA/T 70)
        results = self.env["hr.enforcement.archive.check"]._evaluate(case_file)
        failures = [message for _aspect, ok, message in results if not ok]
        if failures:
            return self.browse(), failures
        with tempfile.TemporaryDirectory(prefix="hr_enforcement_transfer_") as workdir:
            top = package.safe_name(case_file.archive_number)
            root = os.path.join(workdir, top)
            os.mkdir(root)
            expected = self._write_package(case_file, root)
            failures = package.check_bag(root, expected)
            if failures:
                return self.browse(), failures
            zip_path = os.path.join(workdir, f"{top}.zip")
            package.zip_bag(root, zip_path, top)
            sha256 = package.file_digest(zip_path, "sha256")
            sm3 = package.file_digest(zip_path, "sm3")
            with open(zip_path, "rb") as handle:
                content = handle.read()
        report = "\n".join(message for _aspect, _ok, message in results)
        report += "\n" + _(
            "Package: BagIt valid; every document is the file stored at ingest (SHA-256, SM3)."
        )
        transfer = (
            self.sudo()
            ._app()
            .create(
                {
                    "case_file_id": case_file.id,
                    "receiving_archive": receiving_archive.strip(),
                    "user_id": self.env.uid,
                    "transferred_at": fields.Datetime.now(),
                    "package": base64.b64encode(content),
                    "package_name": f"{top}.zip",
                    "package_size": len(content),
                    "package_sha256": sha256,
                    "package_sm3": sm3,
                    "document_count": len(expected),
                    "check_report": report,
                    **self._stamp_values(sha256),
                }
            )
        )
        self.env["hr.enforcement.event"]._log(
            case_file.case_id,
            "exported",
            transfer,
            _(
                "Transferred to %(archive)s: package %(name)s, SHA-256 %(sha)s",
                archive=transfer.receiving_archive,
                name=transfer.package_name,
                sha=sha256,
            ),
        )
        return self.browse(transfer.id), []

    @api.model
    def _stamp_values(self, digest):
        """The package digest time-stamped by the authority of the daily heads (R22.3), as
        values of the transfer; without one configured, or when it fails, the reason."""
        Head = self.env["hr.enforcement.event.head"].sudo()
        url, _trusted = Head._tsa_config()
        if not url:
            return {"tsa_error": _("no time-stamping authority is configured")}
        try:
            token, info = Head._request_timestamp(digest)
        except (requests.RequestException, timestamp.TimestampError) as exc:
            _logger.warning("Transfer package %s not time-stamped: %s", digest, exc)
            return {"tsa_error": str(exc)[:500]}
        return {
            "tsa_token": base64.b64encode(token),
            "tsa_time": info.gen_time,
            "tsa_authority": info.authority,
        }

    # ------------------------------------------------------------------ package content

    def _write_package(self, case_file, root):
        """Write the bag of `case_file` at `root`; returns {data path: SHA-256 at ingest}
        of every document it holds."""
        store = self.env["hr.enforcement.filestore"]
        documents, expected, metadata = [], {}, []
        for item in case_file.item_ids:
            files = (item.text_record_id.file_ids or item.av_record_id.file_ids).sudo()
            for evidence in files:
                relative = (
                    f"data/documents/{item.sequence:03d}-{evidence.id}-"
                    f"{package.safe_name(evidence.name)}"
                )
                documents.append((relative, store._iter_bytes(evidence.store_fname)))
                expected[relative] = evidence.sha256
                metadata.append(self._document_metadata(case_file, item, evidence, relative))
        case = case_file.case_id
        cover = io.BytesIO()
        case_file._render_cover(cover)
        extra = [
            ("case_file.pdf", cover.getvalue()),
            ("metadata.xml", package.metadata_xml(self._file_metadata(case_file), metadata)),
            ("log/events.json", self._case_log(case)),
            ("log/heads.json", self._case_heads(case)),
        ]
        info = {
            "Source-Organization": case.company_id.name or "",
            "External-Identifier": case_file.archive_number,
            "External-Description": case_file._get_title(),
            "Contact-Name": self.env.user.name,
            "Bagging-Date": fields.Date.to_string(fields.Date.context_today(self)),
        }
        package.write_bag(
            root, [(path[len("data/") :], source) for path, source in documents], extra, info
        )
        return expected

    def _file_metadata(self, case_file):
        case = case_file.case_id
        labels = dict(case_file._fields["retention"]._description_selection(self.env))
        return [
            ("聚合层次", "案卷"),
            ("立档单位名称", case.company_id.name),
            ("档号", case_file.archive_number),
            ("案卷题名", case_file._get_title()),
            ("案件编号", case.name),
            ("起始日期", fields.Date.to_string(case.date_received)),
            ("终止日期", fields.Date.to_string(case.date_ended)),
            ("保管期限", labels.get(case_file.retention)),
            ("件数", len(case_file.item_ids)),
            ("页数", case_file.page_count),
            ("立卷人", case_file.create_uid.name),
            ("检查人", case_file.last_check_id.create_uid.name),
            ("归档日期", fields.Date.to_string(case_file.archived_on)),
            ("证据日志链首", case_file.chain_head),
        ]

    def _document_metadata(self, case_file, item, evidence, relative):
        record = item.text_record_id or item.av_record_id
        levels = dict(record._fields["confidentiality"]._description_selection(self.env))
        labels = dict(item._fields["retention"]._description_selection(self.env))
        return [
            ("件号", item.sequence),
            ("档号", f"{case_file.archive_number}-{item.sequence:03d}"),
            ("题名", item.name),
            ("文件编号", item.document_number),
            ("责任者", item.responsible),
            ("日期", fields.Date.to_string(item.date)),
            ("控制标识", levels.get(record.confidentiality)),
            ("保管期限", labels.get(item.retention or case_file.retention)),
            ("页数", item.page_count),
            ("格式名称", evidence.mimetype),
            ("计算机文件名", relative),
            ("计算机文件大小", int(evidence.file_size)),
            ("数字摘要", ({"算法": "SHA-256"}, evidence.sha256)),
            ("数字摘要", ({"算法": "SM3"}, evidence.sm3 or "")),
            # with its offset: the bureau's local time, unambiguous for the archive
            (
                "登记时间",
                fields.Datetime.context_timestamp(self, evidence.uploaded_at).isoformat()
                if evidence.uploaded_at
                else "",
            ),
        ]

    def _case_log(self, case):
        """The case's evidence log, every column its hashes cover (R22.3)."""
        columns = ("case_id", "sequence", *EVENT_COLUMNS)
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM hr_enforcement_event WHERE case_id = %s ORDER BY sequence",
                SQL(", ").join(SQL.identifier(column) for column in dict.fromkeys(columns)),
                case.id,
            )
        )
        names = [description[0] for description in self.env.cr.description]
        events = [dict(zip(names, row, strict=True)) for row in self.env.cr.fetchall()]
        for event in events:
            event["timestamp"] = fields.Datetime.to_string(event["timestamp"])
        self.env.cr.execute(
            SQL(
                "SELECT last_sequence FROM hr_enforcement_event_chain WHERE case_id = %s",
                case.id,
            )
        )
        counted = (self.env.cr.fetchone() or [len(events)])[0]
        return package.log_json(case.id, case.name, counted, events)

    def _case_heads(self, case):
        """The daily heads that saw this case, as *Export for Verification* gives them; the
        other cases of each head by their leaf alone (R20.1)."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT head_id FROM hr_enforcement_event_leaf WHERE case_id = %s", case.id
            )
        )
        head_ids = [row[0] for row in self.env.cr.fetchall()]
        heads = self.env["hr.enforcement.event.head"].sudo().browse(head_ids)
        payload = heads._export_payload() if heads else {"heads": []}
        for head in payload["heads"]:
            for leaf in head["leaves"]:
                if leaf["case_id"] != case.id:
                    leaf["case"] = None
        return json.dumps(payload, ensure_ascii=False, indent=1).encode()
