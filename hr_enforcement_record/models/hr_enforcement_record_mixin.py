from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .hr_enforcement_approval_mixin import SYSTEM_WRITE


class HrEnforcementRecordMixin(models.AbstractModel):
    """What text and AV records share (R3.1, R22.3): a case and the stage it was made in,
    files, sealing and versions.

    Once sealed — when submitted for review, and for every record when the case is decided —
    a record and its files can't be written or deleted by anyone, administrators included;
    a correction is a new record whose `corrects_id` names the one it corrects.
    """

    _name = "hr.enforcement.record.mixin"
    _description = "Enforcement Record"
    _inherit = ["mail.thread"]
    # Fields users may still fill on a sealed record (none by default).
    _sealed_writable = frozenset()

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    stage = fields.Selection(
        lambda self: self.env["hr.enforcement.case"]._fields["stage"].selection,
        readonly=True,
        help="The stage of the case when the record was made (R3.1).",
    )
    sealed = fields.Boolean(readonly=True, copy=False, tracking=True)
    sealed_at = fields.Datetime(readonly=True, copy=False)
    file_count = fields.Integer(compute="_compute_file_count")

    @api.model_create_multi
    def create(self, vals_list):
        cases = self.env["hr.enforcement.case"].browse([v.get("case_id") for v in vals_list])
        for vals, case in zip(vals_list, cases, strict=True):
            if case.stage in ("closed", "cancelled"):
                raise UserError(
                    _(
                        "Case %(case)s is %(stage)s; it takes no more records (R3.1).",
                        case=case.name,
                        stage=case._stage_labels()[case.stage],
                    )
                )
            vals["stage"] = case.stage
            vals.pop("sealed", None)
        records = super().create(vals_list)
        for record in records:
            self.env["hr.enforcement.event"]._log(
                record.case_id, "created", record, record.display_name
            )
        return records

    def write(self, vals):
        if self.env.context.get("hr_enforcement_system") is not SYSTEM_WRITE:
            if {"sealed", "sealed_at", "stage", "corrects_id"}.intersection(vals):
                raise UserError(_("Sealing and versions are set by the application (R22.3)."))
            sealed = self.filtered("sealed")
            if sealed and set(vals) - self._sealed_writable:
                raise UserError(
                    _(
                        "%(record)s is sealed and cannot change; record a correction "
                        "instead (R22.3).",
                        record=sealed[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed(self):
        if self.filtered("sealed"):
            raise UserError(_("Sealed records are never deleted (R22.3)."))

    def export_data(self, fields_to_export):
        """R22.2: every export leaves one event per case, naming what left the system."""
        result = super().export_data(fields_to_export)
        for case in self.case_id:
            records = self.filtered(lambda r, case=case: r.case_id == case)
            self.env["hr.enforcement.event"]._log(
                case, "exported", None, ", ".join(records.mapped("display_name"))[:500]
            )
        return result

    def _message_update_content(self, message, *args, **kwargs):
        """Chatter messages of a sealed record are part of it: no edits (R22.3)."""
        if self.sealed:
            raise UserError(
                _(
                    "%(record)s is sealed; its messages cannot be edited (R22.3).",
                    record=self.display_name,
                )
            )
        return super()._message_update_content(message, *args, **kwargs)

    def _check_can_add_file(self):
        self.ensure_one()
        if self.sealed:
            raise UserError(
                _(
                    "%(record)s is sealed; add files to a correction instead (R22.3).",
                    record=self.display_name,
                )
            )

    def _on_file_added(self, evidence):
        """Hook: a file was stored on this record."""

    def action_seal(self):
        records = self.filtered(lambda r: not r.sealed)
        if not self.env.context.get("hr_enforcement_skip_seal_check"):
            records._check_before_seal()
        records.with_context(hr_enforcement_system=SYSTEM_WRITE).write(
            {"sealed": True, "sealed_at": fields.Datetime.now()}
        )
        for record in records:
            self.env["hr.enforcement.event"]._log(
                record.case_id, "sealed", record, record.display_name
            )

    def _check_before_seal(self):
        """Hook: refuse to seal an incomplete record."""

    def action_correct(self):
        """Open a copy of this sealed record as its correction."""
        self.ensure_one()
        correction = self.with_context(hr_enforcement_system=SYSTEM_WRITE).copy(
            {"corrects_id": self.id, "case_id": self.case_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }
