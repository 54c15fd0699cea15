import io
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import CHINESE_DATE_LABELS

from ..report.case_file_pdf import page_ranges, write_case_file
from .hr_enforcement_retention_rule import RETENTION, RETENTION_RANK

DEFAULT_PATTERN = "{fonds}-{year}-{retention}-{unit}-{item:04d}"
RETENTION_CODES = {"permanent": "Y", "30y": "D30", "10y": "D10"}
RETENTION_YEARS = {"30y": 30, "10y": 10}


class HrEnforcementCaseFile(models.Model):
    """The case file (卷宗) of an ended case (R18.1, R18.3): every text and AV record and
    every service receipt of the case in a defined order, a catalog with item numbers and
    page counts, an archive number without gaps, the longest retention period that applies,
    and the 四性 check report. Once archived, the file and everything in it are locked."""

    _name = "hr.enforcement.case.file"
    _description = "Case File"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _order = "id desc"
    _rec_name = "display_title"
    _rec_names_search = ["archive_number", "case_id.name"]
    # once archived, only the disposal hold still moves (R18.3)
    _guard_open_states = ("draft",)
    _guard_closed_writable = frozenset(
        {"disposal_hold", "disposal_hold_reason", "state", "disposal_id", "disposed_on"}
    )
    _guard_rule_ref = "R18.3, R22.3"
    _guard_create_fields = frozenset({"case_id"})

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    department_id = fields.Many2one(related="case_id.department_id", store=True)
    confidentiality = fields.Selection(related="case_id.confidentiality", store=True)
    display_title = fields.Char(compute="_compute_display_title")
    state = fields.Selection(
        [("draft", "Being organised"), ("archived", "Archived"), ("disposed", "Disposed of")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    archived = fields.Boolean(compute="_compute_archived", store=True)
    archive_number = fields.Char("Archive No. (档号)", readonly=True, copy=False, tracking=True)
    item_number = fields.Integer(readonly=True, copy=False)
    year = fields.Integer(readonly=True)
    retention = fields.Selection(
        RETENTION, compute="_compute_retention", store=True, readonly=False, tracking=True
    )
    disposal_due = fields.Date(
        compute="_compute_disposal_due",
        store=True,
        help="End of the retention period, when the file is appraised for disposal; none for "
        "permanent files.",
    )
    disposal_hold = fields.Boolean(tracking=True, help="Never dispose of this file while set.")
    disposal_id = fields.Many2one("hr.enforcement.disposal", readonly=True, copy=False)
    disposed_on = fields.Date(readonly=True, copy=False, tracking=True)
    disposal_hold_reason = fields.Char(tracking=True)
    item_ids = fields.One2many("hr.enforcement.case.file.item", "case_file_id", string="Catalog")
    page_count = fields.Integer(compute="_compute_page_count")
    check_ids = fields.One2many("hr.enforcement.archive.check", "case_file_id", readonly=True)
    last_check_id = fields.Many2one("hr.enforcement.archive.check", readonly=True, copy=False)
    last_check_passed = fields.Boolean(related="last_check_id.passed")
    chain_head = fields.Char("Evidence Log Chain Head", readonly=True, copy=False)
    archived_on = fields.Date(readonly=True, copy=False, tracking=True)
    archived_by = fields.Many2one("res.users", readonly=True, copy=False)
    archive_deadline = fields.Date(related="case_id.archive_deadline")
    transfer_ids = fields.One2many(
        "hr.enforcement.case.file.transfer", "case_file_id", string="Transfers", readonly=True
    )
    transferred = fields.Boolean(compute="_compute_transferred")

    _sql_constraints = [
        ("case_unique", "unique(case_id)", "A case has one case file."),
        (
            "archive_number_unique",
            "unique(company_id, archive_number)",
            "This archive number is used already.",
        ),
    ]

    @api.depends("case_id.name", "archive_number")
    def _compute_display_title(self):
        for case_file in self:
            case_file.display_title = case_file.archive_number or case_file.case_id.name

    @api.depends("state")
    def _compute_archived(self):
        for case_file in self:
            # a disposed file stays what it was: archived, frozen, its records kept
            case_file.archived = case_file.state in ("archived", "disposed")

    @api.depends("item_ids.retention", "case_id.enforcement_type")
    def _compute_retention(self):
        """The longest period the retention schedule gives the file's category and its
        records wins (R18.3)."""
        for case_file in self:
            case_file.retention = case_file._get_required_retention()

    def _get_retention_lines(self):
        """The lines of the retention schedule that apply to this file (R18.3)."""
        self.ensure_one()
        return self.env["hr.enforcement.retention.rule"]._lines_for(
            self.case_id, self.item_ids.text_record_id.document_type_id
        )

    def _get_required_retention(self):
        self.ensure_one()
        return self.env["hr.enforcement.retention.rule"]._retention_of(self._get_retention_lines())

    @api.constrains("retention", "item_ids")
    def _check_retention(self):
        """R18.3: a file may be kept longer than its records require, never shorter."""
        labels = dict(self._fields["retention"]._description_selection(self.env))
        for case_file in self:
            required = case_file._get_required_retention()
            if RETENTION_RANK.get(case_file.retention, 0) < RETENTION_RANK[required]:
                raise ValidationError(
                    _(
                        "The records of this file are kept %(required)s; the file cannot be "
                        "kept for less (R18.3).",
                        required=labels[required],
                    )
                )

    @api.depends("archived_on", "retention")
    def _compute_disposal_due(self):
        """The day after the retention period, which runs from 1 January of the year after
        archiving (a file archived in 2026 and kept 10 years is kept through 2036 and
        appraised from 1 January 2037; R18.3)."""
        for case_file in self:
            years = RETENTION_YEARS.get(case_file.retention)
            case_file.disposal_due = (
                date(case_file.archived_on.year + 1, 1, 1) + relativedelta(years=years)
                if case_file.archived_on and years
                else False
            )

    @api.depends("transfer_ids")
    def _compute_transferred(self):
        for case_file in self:
            case_file.transferred = bool(case_file.transfer_ids)

    @api.depends("item_ids.page_count")
    def _compute_page_count(self):
        for case_file in self:
            case_file.page_count = sum(case_file.item_ids.mapped("page_count"))

    @api.model_create_multi
    def create(self, vals_list):
        files = super().create(vals_list)
        for case_file in files:
            # sudo: linking its own case file is the application's bookkeeping
            case_file.case_id.sudo()._app().write({"case_file_id": case_file.id})
        return files

    @api.ondelete(at_uninstall=False)
    def _unlink_never_archived(self):
        if self.filtered("archived"):
            raise UserError(_("An archived case file is never deleted (R22.3)."))

    def _check_case_ended(self):
        for case_file in self:
            if case_file.case_id.stage not in ("archiving", "closed"):
                raise UserError(
                    _(
                        "Case %(case)s has not ended; a case file is organised after the "
                        "enforcement act ends (R18.1).",
                        case=case_file.case_id.name,
                    )
                )

    def action_assemble(self):
        """(Re)build the catalog from the case: text records by date, AV records, service
        receipts, each with its item number."""
        self._check_case_ended()
        Item = self.env["hr.enforcement.case.file.item"]
        for case_file in self:
            case_file._guard_check_frozen()
            case_file.item_ids.unlink()
            Item.create(Item._prepare_items(case_file))

    def action_check(self):
        """Run the four checks (authenticity, integrity, usability, security) and keep the
        report, whatever its outcome."""
        self._check_case_ended()
        Check = self.env["hr.enforcement.archive.check"]
        for case_file in self:
            if not case_file.item_ids:
                case_file.action_assemble()
            check = Check._run(case_file)
            case_file._app().write({"last_check_id": check.id})
        return True

    def write(self, vals):
        result = super().write(vals)
        if "disposal_hold" in vals or "retention" in vals:
            # the store's legal hold and retention follow the file's (R18.3)
            self.env["hr.enforcement.evidence.file"]._retain_for(self)
        return result

    def action_archive_file(self):
        """R18.1: archive the file once every check passes; number it, record the evidence
        log's chain head, close the case and lock everything. While a check fails, nothing
        is archived: the failed report is kept on the file and its failures are shown."""
        for case_file in self:
            case_file.action_check()
            check = case_file.last_check_id
            if not check.passed:
                return {
                    "type": "ir.actions.client",
                    "tag": "display_notification",
                    "params": {
                        "title": _("The case file cannot be archived while checks fail"),
                        "message": check.failures,
                        "type": "danger",
                        "sticky": True,
                        "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                    },
                }
            case_file._assign_archive_number()
            case = case_file.case_id
            if case.stage == "archiving":
                # sudo: closing by archiving is the system's transition; the archivist's
                # right was checked on the case file
                case.sudo()._app(self._name).action_close()
            case_file._app().write(
                {
                    "state": "archived",
                    "archived_on": fields.Date.context_today(case_file),
                    "archived_by": self.env.uid,
                    "chain_head": self.env["hr.enforcement.event"].sudo()._get_chain_head(case),
                }
            )
            self.env["hr.enforcement.event"]._log(
                case, "exported", case_file, _("Archived as %s", case_file.archive_number)
            )
            self.env["hr.enforcement.evidence.file"]._retain_for(case_file)
        return True  # RPC clients get an answer they can read

    def _assign_archive_number(self):
        """档号 from the configured pattern; item numbers run per fonds, year and retention
        from a no-gap sequence, so numbers never skip (a rolled-back archiving frees its
        number for the next one)."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        year = fields.Date.context_today(self).year
        fonds = params.get_param("hr_enforcement.archive_fonds", "J001")
        unit = params.get_param("hr_enforcement.archive_unit", "ZF")
        pattern = params.get_param("hr_enforcement.archive_number_pattern", DEFAULT_PATTERN)
        sequence = self._get_item_sequence(fonds, year, self.retention)
        item = int(sequence.next_by_id())
        try:
            number = pattern.format(
                fonds=fonds,
                year=year,
                retention=RETENTION_CODES[self.retention],
                unit=unit,
                item=item,
            )
        except (KeyError, IndexError, ValueError) as error:
            raise UserError(
                _("The archive number pattern %(pattern)s is not valid.", pattern=pattern)
            ) from error
        if self.search_count([("archive_number", "=", number), ("id", "!=", self.id)]):
            raise ValidationError(
                _("Archive number %(number)s is used already; check the pattern.", number=number)
            )
        self._app().write({"archive_number": number, "item_number": item, "year": year})
        return number

    def _get_item_sequence(self, fonds, year, retention):
        code = f"hr.enforcement.case.file.{fonds}.{year}.{retention}"
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", code), ("company_id", "in", [self.company_id.id, False])], limit=1
        )
        return sequence or Sequence.create(
            {
                "name": f"Case files {fonds} {year} {retention}",
                "code": code,
                "implementation": "no_gap",
                "company_id": self.company_id.id,
                "padding": 0,
            }
        )

    def _dispose(self, disposal):
        """Carry out `disposal` on this file (R18.3): marked disposed, its case's evidence
        files marked so and their stored bytes removed once the transaction commits (bytes
        another kept file shares stay); the event log records it."""
        self.ensure_one()
        self._app().write(
            {
                "state": "disposed",
                "disposal_id": disposal.id,
                "disposed_on": fields.Date.context_today(self),
            }
        )
        files = (
            self.env["hr.enforcement.evidence.file"]
            .sudo()
            .search([("case_id", "=", self.case_id.id)])
        )
        files._dispose()
        self.env["hr.enforcement.event"]._log(
            self.case_id,
            "exported",
            disposal,
            _(
                "Disposed of under disposal list %(list)s: %(count)s stored file(s) removed",
                list=disposal.name,
                count=len(files),
            ),
        )

    def action_open_transfer_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Transfer to an Archive"),
            "res_model": "hr.enforcement.case.file.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_file_id": self.id},
        }

    def action_print_cover(self):
        self.ensure_one()
        return self.env.ref("hr_enforcement_archive.action_report_case_file_cover").report_action(
            self
        )

    def _render_reportlab_pdf(self, report_name):
        if report_name != "hr_enforcement_archive.report_case_file_cover":
            return super()._render_reportlab_pdf(report_name)
        self.ensure_one()
        stream = io.BytesIO()
        self._render_cover(stream)
        return stream.getvalue()

    def _render_cover(self, stream):
        """Cover sheet and catalog, carrying the evidence log's chain head (R18.1)."""
        self.ensure_one()
        font = self.env["hr.enforcement.service"]._check_receipt_font()
        labels = {
            "title": _("Case File"),
            "catalog": _("Catalog of the Case File"),
            "chain_head": _("Evidence log chain head"),
            "sequence": _("No."),
            "document_number": _("Document No."),
            "responsible": _("Responsible Body"),
            "name": _("Title"),
            "date": _("Date"),
            "pages": _("Page No."),
            "remarks": _("Remarks"),
        }
        retention = dict(self._fields["retention"]._description_selection(self.env))
        case = self.case_id
        head = self.chain_head or self.env["hr.enforcement.event"].sudo()._get_chain_head(case)
        day = CHINESE_DATE_LABELS["day"]  # GB/T 9704: 2026年8月3日
        check = self.last_check_id
        cover = [
            (_("Archive No."), self.archive_number or _("(not archived yet)")),
            (_("Authority"), self.company_id.name),
            (_("Title"), self._get_title()),
            (_("Case No."), case.name),
            (_("Department"), case.department_id.name),
            (
                _("From - to"),
                _(
                    "%(start)s to %(end)s",
                    start=day(case.date_received) if case.date_received else "",
                    end=day(case.date_ended) if case.date_ended else "",
                ),
            ),
            (_("Retention"), retention.get(self.retention, "")),
            (_("Items / pages"), f"{len(self.item_ids)} / {self.page_count}"),
            # 立卷人 and 检查人 (DA/T 22): who assembled the file, who ran its last check
            (_("Filed by"), f"{self.create_uid.name or ''} {day(self.create_date.date())}"),
            (
                _("Checked by"),
                f"{check.create_uid.name} {day(check.create_date.date())}" if check else "",
            ),
            (_("Archived on"), day(self.archived_on) if self.archived_on else ""),
            (labels["chain_head"], head),
        ]
        ranges = page_ranges(self.item_ids.mapped("page_count"))
        items = [
            {
                "sequence": item.sequence,
                "document_number": item.document_number,
                "responsible": item.responsible,
                "name": item.name,
                "date": item.date and item.date.strftime("%Y%m%d"),
                "pages": pages,
                "remarks": item.no_file_reason or "",
            }
            for item, pages in zip(self.item_ids, ranges, strict=True)
        ]
        write_case_file(
            stream, font, cover, labels, items, case.company_id.name, self._get_note(day)
        )

    def _get_title(self):
        """案卷题名 (DA/T 22): <当事人><案由>案."""
        self.ensure_one()
        case = self.case_id
        return _(
            "Case of %(party)s: %(subject)s",
            party=case.partner_id.name or "",
            subject=case.subject or "",
        )

    def _get_note(self, day):
        """The 卷内备考表 (DA/T 22): the file's items and pages, every item without a file
        and why, who filed it and who checked it, with their dates (R18.1)."""
        check = self.last_check_id
        statement = [
            _(
                "This file holds %(items)s item(s) on %(pages)s page(s).",
                items=len(self.item_ids),
                pages=self.page_count,
            )
        ]
        without_file = self.item_ids.filtered(lambda i: not i.file_count)
        statement += [
            _(
                "Item %(number)s, %(name)s, has no file: %(reason)s",
                number=item.sequence,
                name=item.name,
                reason=item.no_file_reason or _("no reason written"),
            )
            for item in without_file
        ] or [_("Every item of the file is present.")]
        if check:
            outcome = _("passed") if check.passed else _("failed")
            statement.append(_("Four checks (DA/T 70): %(outcome)s.", outcome=outcome))
        return {
            "title": _("Notes of the Case File"),
            "statement": statement,
            "signatures": [
                (_("Filed by"), f"{self.create_uid.name or ''}  {day(self.create_date.date())}"),
                (
                    _("Checked by"),
                    f"{check.create_uid.name}  {day(check.create_date.date())}" if check else "",
                ),
            ],
        }
