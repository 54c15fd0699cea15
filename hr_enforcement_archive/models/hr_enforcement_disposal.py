import io
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_guard import (
    CHINESE_DATE_LABELS,
    Freeze,
)

from ..report.disposal_pdf import write_disposal_list

_logger = logging.getLogger(__name__)


class HrEnforcementDisposal(models.Model):
    """Appraisal and disposal (鉴定销毁) of case files whose retention has ended, as a
    销毁清册 decided through the approval chain (档案法 第二十一条: 禁止擅自销毁档案; R18.3,
    R21.1). A file is listed, approved and disposed of only once its disposal is due, never
    while a disposal hold is on it or while it is kept permanently; the list stays for good
    with what each file was, and disposal removes the stored evidence bytes of its case."""

    _name = "hr.enforcement.disposal"
    _description = "Disposal List"
    _inherit = ["hr.enforcement.guard", "mail.thread", "hr.enforcement.approval.mixin"]
    _order = "id desc"
    _approval_kinds = ("disposal",)
    _guard_case_field = None
    _guard_rule_ref = "R18.3, R21.1"
    _guard_open_states = ("draft",)
    # once approved, only carrying it out moves the list on (by the application)
    _guard_closed_writable = frozenset({"state", "disposed_on", "disposed_by"})

    name = fields.Char(readonly=True, copy=False, default=lambda self: _("New"))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Appraisal"), ("approved", "Approved"), ("disposed", "Disposed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    case_file_ids = fields.Many2many(
        "hr.enforcement.case.file",
        string="Case Files",
        domain="[('archived', '=', True), ('disposal_hold', '=', False), "
        "('disposal_due', '<=', context_today().strftime('%Y-%m-%d'))]",
    )
    appraisal_opinion = fields.Text(
        tracking=True,
        help="Why the listed files no longer need to be kept (鉴定意见).",
    )
    disposed_on = fields.Date(readonly=True, copy=False, tracking=True)
    disposed_by = fields.Many2one("res.users", readonly=True, copy=False)
    file_count = fields.Integer(compute="_compute_file_count")

    @api.depends("case_file_ids")
    def _compute_file_count(self):
        for disposal in self:
            disposal.file_count = len(disposal.case_file_ids)

    @api.model
    def _prepare_app_values(self, vals_list):
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("hr.enforcement.disposal")
        return super()._prepare_app_values(vals_list)

    def _guard_own_freezes(self):
        """R21.1: what the approver decides is the list as proposed: it no longer changes
        once its request is submitted."""
        freezes = super()._guard_own_freezes()
        if self.state == "draft" and self.approval_ids.filtered(
            lambda r: r.kind == "disposal" and r.state in ("submitted", "reviewed")
        ):
            freezes.append(
                Freeze(
                    self.env._("its disposal is being decided (R21.1)"),
                    allowed=frozenset({"state"}),
                    inherit=False,  # its request still moves on, its chatter stays open
                )
            )
        return freezes

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        if any(d.state != "draft" or d.approval_ids for d in self):
            raise UserError(_("A disposal list that was proposed is kept for good (R18.3)."))

    # ------------------------------------------------------------------ rules

    def _check_disposable(self):
        """R18.3: every listed file is archived, not permanent, due and without hold, and
        on no other list; refused as a whole, naming each file and why."""
        self.ensure_one()
        if not self.case_file_ids:
            raise UserError(_("List the case files to dispose of."))
        today = fields.Date.context_today(self)
        reasons = []
        for case_file in self.case_file_ids.sudo():
            name = case_file.display_name
            if case_file.state == "disposed":
                reasons.append(_("%(file)s is disposed of already", file=name))
            elif not case_file.archived:
                reasons.append(_("%(file)s is not archived", file=name))
            elif case_file.retention == "permanent":
                reasons.append(_("%(file)s is kept permanently", file=name))
            elif not case_file.disposal_due or case_file.disposal_due > today:
                reasons.append(
                    _(
                        "%(file)s is kept until %(due)s",
                        file=name,
                        due=case_file.disposal_due,
                    )
                )
            if case_file.disposal_hold:
                reasons.append(
                    _(
                        "%(file)s is under a disposal hold: %(reason)s",
                        file=name,
                        reason=case_file.disposal_hold_reason or "",
                    )
                )
            # sudo: another list's existence, whoever proposes this one
            others = (
                self.sudo()
                .search(
                    [
                        ("id", "!=", self.id),
                        ("state", "!=", "disposed"),
                        ("case_file_ids", "in", case_file.id),
                    ]
                )
                .filtered("approval_ids")
            )
            if others:
                reasons.append(_("%(file)s is on list %(list)s", file=name, list=others[0].name))
        if reasons:
            raise UserError(
                _("These files may not be disposed of (R18.3):\n%s", "\n".join(reasons))
            )

    def _check_approval_request(self, request):
        if request.kind == "disposal":
            if not (self.appraisal_opinion or "").strip():
                raise UserError(_("Write the appraisal opinion first (R18.3)."))
            self._check_disposable()
        return super()._check_approval_request(request)

    def _check_approval_grant(self, request):
        if request.kind == "disposal":
            self._check_disposable()  # a hold set while the list waited stops it
        return super()._check_approval_grant(request)

    def _on_approval_approved(self, request):
        if request.kind == "disposal":
            self.sudo()._app().write({"state": "approved"})
        return super()._on_approval_approved(request)

    # ------------------------------------------------------------------ disposal

    def action_dispose(self):
        """Dispose of the approved list: each file is checked again, marked disposed, its
        evidence bytes removed once the transaction commits; the list, the case files'
        records, catalogs and logs stay (R18.3)."""
        self.ensure_one()
        if not self.env.user.has_group(
            "hr_enforcement_record.hr_enforcement_record_group_archivist"
        ):
            raise UserError(_("Only an archivist carries out a disposal (R18.3)."))
        # sudo: whether the list was approved, whoever sat on its request
        if self.state != "approved" or not self.sudo()._approval_is_granted("disposal"):
            raise UserError(_("A disposal list is carried out once approved (R21.1)."))
        self._check_disposable()
        files = self.case_file_ids.sudo()
        for case_file in files:
            case_file._app()._dispose(self)
        self.sudo()._app().write(
            {
                "state": "disposed",
                "disposed_on": fields.Date.context_today(self),
                "disposed_by": self.env.uid,
            }
        )
        return True

    # ------------------------------------------------------------------ printout

    def action_print(self):
        self.ensure_one()
        return self.env.ref("hr_enforcement_archive.action_report_disposal_list").report_action(
            self
        )

    def _render_reportlab_batch(self, report_name):
        if report_name != "hr_enforcement_archive.report_disposal_list":
            return super()._render_reportlab_batch(report_name)
        day = CHINESE_DATE_LABELS["day"]
        retention = dict(
            self.env["hr.enforcement.case.file"]
            ._fields["retention"]
            ._description_selection(self.env)
        )
        labels = {
            "title": _("Disposal List"),
            "sequence": _("No."),
            "archive_number": _("Archive No."),
            "name": _("Title"),
            "years": _("Dates"),
            "retention": _("Retention"),
            "pages": _("Items / pages"),
            "remarks": _("Remarks"),
        }
        lists = []
        for disposal in self:
            request = disposal.approval_ids.filtered(
                lambda r: r.kind == "disposal" and r.state == "approved"
            )[:1]
            rows = [
                {
                    "sequence": str(number),
                    "archive_number": case_file.archive_number,
                    "name": case_file._get_title(),
                    "years": _(
                        "%(start)s to %(end)s",
                        start=day(case_file.case_id.date_received)
                        if case_file.case_id.date_received
                        else "",
                        end=day(case_file.case_id.date_ended)
                        if case_file.case_id.date_ended
                        else "",
                    ),
                    "retention": retention.get(case_file.retention, ""),
                    "pages": f"{len(case_file.item_ids)} / {case_file.page_count}",
                    "remarks": "",
                }
                for number, case_file in enumerate(disposal.case_file_ids.sudo(), start=1)
            ]
            footer = [
                (_("List"), disposal.name),
                (_("Appraisal opinion"), disposal.appraisal_opinion or ""),
                (
                    _("Approved by"),
                    f"{request.approver_id.name}  {day(request.date_decided.date())}"
                    if request
                    else "",
                ),
                (
                    _("Disposed of by"),
                    f"{disposal.disposed_by.name}  {day(disposal.disposed_on)}"
                    if disposal.disposed_on
                    else "",
                ),
            ]
            lists.append((rows, footer))
        stream = io.BytesIO()
        write_disposal_list(
            stream,
            self.env["hr.enforcement.service"]._check_receipt_font(),
            labels,
            lists,
            self.env.company.name,
        )
        return stream.getvalue()
