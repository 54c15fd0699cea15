from odoo import _, api, models
from odoo.exceptions import UserError

SEALABLE = ("hr.enforcement.text.record", "hr.enforcement.av.record")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _check_enforcement_sealed(self):
        """Attachments of a sealed enforcement record are frozen with it (R22.3)."""
        for model in SEALABLE:
            ids = [a.res_id for a in self.sudo() if a.res_model == model and a.res_id]
            sealed = self.env[model].sudo().browse(ids).exists().filtered("sealed")
            if sealed:
                raise UserError(
                    _(
                        "%(record)s is sealed; its attachments cannot change (R22.3).",
                        record=sealed[0].display_name,
                    )
                )

    def write(self, vals):
        self._check_enforcement_sealed()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_enforcement_sealed(self):
        self._check_enforcement_sealed()
