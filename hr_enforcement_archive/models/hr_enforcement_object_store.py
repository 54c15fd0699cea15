from odoo import api, models


class HrEnforcementObjectStore(models.AbstractModel):
    _inherit = "hr.enforcement.object.store"

    @api.model
    def _move_one(self, store_fname, sha256):
        """A file moved from the filestore takes its archived case file's retention and
        disposal hold at once, as one stored there from the start (R18.3)."""
        target = super()._move_one(store_fname, sha256)
        files = (
            self.env["hr.enforcement.evidence.file"].sudo().search([("store_fname", "=", target)])
        )
        case_files = (
            self.env["hr.enforcement.case.file"]
            .sudo()
            .search([("case_id", "in", files.case_id.ids), ("state", "=", "archived")])
        )
        files._retain_for(case_files)
        return target

    @api.model
    def _cron_move_to_object_store(self, batch_size=20):
        moved, failed, remaining = super()._cron_move_to_object_store(batch_size)
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            "hr_enforcement_record.ir_cron_move_to_object_store",
            done=moved,
            completed=not remaining and not failed,
            backlog=remaining,
        )
        return moved, failed, remaining
