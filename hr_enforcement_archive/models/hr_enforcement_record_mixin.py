from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_record_mixin import (
    HrEnforcementRecordMixin as RecordMixin,
)

from .hr_enforcement_case import CONFIDENTIALITY, CONFIDENTIALITY_RANK


def _higher(*levels):
    return max((level for level in levels if level), key=CONFIDENTIALITY_RANK.get)


class HrEnforcementRecordMixin(models.AbstractModel):
    """Text and AV records: a confidentiality level (R20.1; 保守国家秘密法 第十五条,
    行政处罚法 第五十条) that is never below the case's and never below the level set on the
    record itself. By hand a level only rises; the case's approved lowering leaves a record
    raised above it as it is; the record's own level falls only through its own approved
    request."""

    _name = "hr.enforcement.record.mixin"
    _inherit = ["hr.enforcement.record.mixin", "hr.enforcement.approval.mixin"]
    _sealed_writable = frozenset({"confidentiality", "confidentiality_raised"})
    _approval_kinds = ("confidentiality",)
    # a state-secret matter is only registered here, never unregistered (R20.1)
    _guard_immutable_fields = RecordMixin._guard_immutable_fields | {"secret_on_paper"}

    # the approval mixin's fields, declared again so that their labels on text and AV
    # records are this addon's (exported and translated with it)
    approval_ids = fields.One2many(string="Approval Requests")
    approval_pending_count = fields.Integer(string="Pending Approvals")
    confidentiality_raised = fields.Selection(
        CONFIDENTIALITY,
        "Level Set on the Record",
        readonly=True,
        copy=False,
        tracking=True,
        help="R20.1: the level set on this record; it falls only through the record's own "
        "approved request.",
    )
    confidentiality = fields.Selection(
        CONFIDENTIALITY,
        compute="_compute_confidentiality",
        inverse="_inverse_confidentiality",
        store=True,
        readonly=False,
        copy=False,
        index=True,
        tracking=True,
        help="R20.1: the case's level, or the record's own when set higher.",
    )

    secret_on_paper = fields.Boolean(
        "State Secret Kept on Paper",
        copy=False,
        help="R20.1; 保守国家秘密法 (2024) 第三十一条(三): this system is not classified, so a "
        "state-secret record is registered here only as a paper file kept under the secrecy "
        "rules; no file or content of it is uploaded.",
    )
    paper_location = fields.Char(
        "Where the Paper File Is Kept",
        help="The secrecy office's registration or cabinet of the paper file.",
    )

    @api.depends("case_id.confidentiality", "confidentiality_raised")
    def _compute_confidentiality(self):
        for record in self:
            record.confidentiality = _higher(
                record.case_id.confidentiality or "internal", record.confidentiality_raised
            )

    def _inverse_confidentiality(self):
        # a level above the case's is the record's own; one equal to it follows the case
        # (a copy, a form saving the level it shows)
        for record in self:
            case_level = record.case_id.confidentiality or "internal"
            level = record.confidentiality
            if (
                level
                and CONFIDENTIALITY_RANK[level] > CONFIDENTIALITY_RANK[case_level]
                and level != record.confidentiality_raised
            ):
                record._app().write({"confidentiality_raised": level})

    @api.constrains("secret_on_paper", "paper_location")
    def _check_secret_on_paper(self):
        for record in self.filtered("secret_on_paper"):
            if not (record.paper_location or "").strip():
                raise UserError(
                    _(
                        "Say where the paper file of %(record)s is kept under the secrecy "
                        "rules (R20.1).",
                        record=record.display_name,
                    )
                )
            if record.file_ids:
                raise UserError(
                    _(
                        "%(record)s has files on this system: a state secret is never stored "
                        "here. Report the files to the secrecy officer for removal; register "
                        "the paper file as a new record (保守国家秘密法 第三十一条; R20.1).",
                        record=record.display_name,
                    )
                )

    def _check_can_add_file(self):
        self._check_no_state_secret()
        return super()._check_can_add_file()

    def _get_paper_secret_note(self):
        """The catalog's remark for a state secret kept on paper (R18.1, R20.1)."""
        self.ensure_one()
        if not self.secret_on_paper:
            return False
        return _(
            "State secret kept on paper under the secrecy rules: %(location)s",
            location=self.paper_location,
        )

    def _expects_files(self):
        return not self.secret_on_paper and super()._expects_files()

    def _check_no_state_secret(self):
        """R20.1; 保守国家秘密法 (2024) 第三十一条(三): nothing of a state-secret record is
        stored or processed on this non-classified system."""
        secret = self.filtered("secret_on_paper")
        if secret:
            raise UserError(
                _(
                    "%(record)s is a state secret kept on paper: no file of it is stored on "
                    "this system (保守国家秘密法 第三十一条; R20.1).",
                    record=secret[0].display_name,
                )
            )

    def write(self, vals):
        if "confidentiality" in vals and not self._guard_is_app():
            self._check_level_rises(vals["confidentiality"])
        result = super().write(vals)
        if {"confidentiality", "confidentiality_raised"} & set(vals):
            self.env["hr.enforcement.event"]._sync_confidentiality(self)
        return result

    def _check_level_rises(self, level):
        if not level:
            raise UserError(_("A confidentiality level is never emptied (R20.1)."))
        lowered = self.filtered(
            lambda r: CONFIDENTIALITY_RANK[level] < CONFIDENTIALITY_RANK[r.confidentiality]
        )
        if lowered:
            raise UserError(
                _(
                    "The confidentiality of %(record)s only rises; lower it through an approved "
                    "request (R20.1).",
                    record=lowered[0].display_name,
                )
            )

    # ------------------------------------------------------------------ own approval
    def _check_approval_request(self, request):
        if request.kind == "confidentiality":
            target = request.new_confidentiality
            own = self.confidentiality_raised
            if not (own and target and CONFIDENTIALITY_RANK[target] < CONFIDENTIALITY_RANK[own]):
                raise UserError(
                    _(
                        "Name a level lower than the one set on %(record)s; below its case's "
                        "level, ask on the case (R20.1).",
                        record=self.display_name,
                    )
                )
        return super()._check_approval_request(request)

    def _on_approval_approved(self, request):
        # sudo: the approved request authorises the change, whoever approves it
        if request.kind == "confidentiality":
            self.sudo()._app().write({"confidentiality_raised": request.new_confidentiality})
        return super()._on_approval_approved(request)
