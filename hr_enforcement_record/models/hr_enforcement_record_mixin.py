from odoo import api, fields, models

from .hr_enforcement_guard import Freeze


class HrEnforcementRecordMixin(models.AbstractModel):
    """What text and AV records share (R3.1, R22.3): a case and the stage it was made in,
    files, sealing and versions.

    Once sealed — when submitted for review, and for every record when the case is decided —
    a record and its files can't be written or deleted by anyone, administrators included;
    a correction is a new record whose `corrects_id` names the one it corrects.
    """

    _name = "hr.enforcement.record.mixin"
    _description = "Enforcement Record"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_event_on_create = "created"
    # Fields users may still fill on a sealed record (none by default).
    _sealed_writable = frozenset()

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    stage = fields.Selection(
        lambda self: (
            self.env["hr.enforcement.case"]._fields["stage"]._description_selection(self.env)
        ),
        readonly=True,
        help="The stage of the case when the record was made (R3.1).",
    )
    sealed = fields.Boolean(readonly=True, copy=False, tracking=True)
    sealed_at = fields.Datetime(readonly=True, copy=False)
    file_count = fields.Integer(compute="_compute_file_count")

    @api.model
    def _prepare_app_values(self, vals_list):
        vals_list = super()._prepare_app_values(vals_list)
        cases = self.env["hr.enforcement.case"].browse([v.get("case_id") for v in vals_list])
        for vals, case in zip(vals_list, cases, strict=True):
            vals["stage"] = case.stage
        return vals_list

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.sealed:
            freezes.append(
                Freeze(
                    self.env._("it is sealed; record a correction instead (R22.3)"),
                    allowed=self._sealed_writable,
                )
            )
        return freezes

    def _check_can_add_file(self):
        self.ensure_one()
        self._guard_check_frozen()

    def _expects_files(self):
        """Hook: False for a record whose content is rightly kept off this system."""
        self.ensure_one()
        return True

    def _on_file_added(self, evidence):
        """Hook: a file was stored on this record."""

    def action_seal(self):
        self._seal()
        return True

    def _seal(self, check=True):
        """Seal the records; `check=False` when the case is decided and every record is
        sealed as it stands (R22.3)."""
        records = self.filtered(lambda r: not r.sealed)
        if check:
            records._check_before_seal()
        records._app().write({"sealed": True, "sealed_at": fields.Datetime.now()})
        for record in records:
            self.env["hr.enforcement.event"]._log(
                record.case_id, "sealed", record, record.display_name
            )

    def _check_before_seal(self):
        """Hook: refuse to seal an incomplete record."""

    def action_correct(self):
        """Open a copy of this sealed record as its correction."""
        self.ensure_one()
        correction = self._app().copy({"corrects_id": self.id, "case_id": self.case_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }
