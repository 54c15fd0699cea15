from datetime import date

from odoo import api, fields, models
from odoo.tools.pdf import PdfFileReader

from .hr_enforcement_document_type import FILE_PHASE_RANK
from .hr_enforcement_retention_rule import RETENTION


class HrEnforcementCaseFileItem(models.Model):
    """One line of the catalog (卷内目录) of a case file."""

    _name = "hr.enforcement.case.file.item"
    _description = "Case File Catalog Item"
    _order = "case_file_id, sequence"
    _inherit = ["hr.enforcement.guard"]
    _guard_parent_fields = ("case_file_id",)
    _guard_immutable_fields = frozenset({"case_file_id"})
    _guard_case_field = "case_file_id.case_id"

    case_file_id = fields.Many2one(
        "hr.enforcement.case.file", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer("Item No.", required=True)
    # the number as printed, beside the handle by which the archivist moves an item
    item_number = fields.Integer("Item No.", compute="_compute_item_number")
    section = fields.Selection(
        [("text", "Text record"), ("av", "AV record"), ("receipt", "Service receipt")],
        required=True,
    )
    name = fields.Char(required=True)
    document_number = fields.Char("Document No.")
    responsible = fields.Char(
        "Responsible Body",
        help="责任者 (DA/T 22): the body that issued the document under its number, else "
        "who made it (its author, or the officer who recorded).",
    )
    date = fields.Date()
    text_record_id = fields.Many2one("hr.enforcement.text.record", ondelete="restrict")
    av_record_id = fields.Many2one("hr.enforcement.av.record", ondelete="restrict")
    file_count = fields.Integer()
    page_count = fields.Integer()
    retention = fields.Selection(RETENTION)
    no_file_reason = fields.Text(
        "Why No File",
        help="For an item that has no file: why, in writing; otherwise the integrity check "
        "fails (R18.1).",
    )

    @api.depends("sequence")
    def _compute_item_number(self):
        for item in self:
            item.item_number = item.sequence

    @api.model
    def _prepare_items(self, case_file):
        case = case_file.case_id
        texts = self.env["hr.enforcement.text.record"].search(
            [("case_id", "=", case.id)], order="date, id"
        )
        avs = self.env["hr.enforcement.av.record"].search(
            [("case_id", "=", case.id)], order="capture_start, id"
        )
        receipt_type = self.env.ref(
            "hr_enforcement_service.document_type_service_receipt", raise_if_not_found=False
        )
        Rule = self.env["hr.enforcement.retention.rule"]
        schedule = Rule._lines_for(case, texts.document_type_id)
        # each document type's period by the schedule (R18.3)
        by_type = {
            kind: Rule._retention_of(schedule.filtered(lambda r, k=kind: r.document_type_id == k))
            for kind in schedule.document_type_id
        }
        lines = []
        for record in texts:
            section = "receipt" if record.document_type_id == receipt_type else "text"
            lines.append(
                {
                    "section": section,
                    "name": record.name,
                    "document_number": record.document_number,
                    # 责任者 (DA/T 22): the issuing body for what it issued under a 文号
                    "responsible": record.case_id.company_id.name
                    if record.document_number
                    else record.author_id.name,
                    "date": record.date,
                    "text_record_id": record.id,
                    "file_count": len(record.file_ids),
                    "page_count": sum(self._count_pages(f) for f in record.file_ids) or 1,
                    "retention": by_type.get(record.document_type_id, False),
                    "no_file_reason": record._get_paper_secret_note(),
                    "phase": record.document_type_id.file_phase or "investigation",
                }
            )
        for record in avs:
            lines.append(
                {
                    "section": "av",
                    "name": record.name,
                    "responsible": record.officer_id.name,
                    "date": record.capture_start,
                    "av_record_id": record.id,
                    "file_count": len(record.file_ids),
                    "page_count": 1,
                    "no_file_reason": record._get_paper_secret_note(),
                    "phase": "investigation",
                }
            )
        # the standard order (R18.1): 立案 → 调查取证 → 告知 → 审核/讨论 → 决定 → 送达 → 执行 →
        # 结案, by date within a stage (sort is stable: text records before AV on one day)
        lines.sort(
            key=lambda line: (
                FILE_PHASE_RANK[line.pop("phase")],
                fields.Date.to_date(line["date"]) or date.min,
            )
        )
        for number, line in enumerate(lines, start=1):
            line.update(case_file_id=case_file.id, sequence=number)
        return lines

    @api.model
    def _count_pages(self, evidence):
        """Pages of a PDF from its page tree (not its content), one for any other file."""
        if evidence.mimetype != "application/pdf":
            return 1
        try:
            store = self.env["hr.enforcement.filestore"]
            with store._open(evidence.sudo().store_fname) as handle:
                return max(1, len(PdfFileReader(handle, strict=False).pages))
        except Exception:  # noqa: BLE001 - an unreadable PDF counts as one sheet; the checks flag it
            return 1
