from odoo import api, models

from .hr_enforcement_object_store import PARAM


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model_create_multi
    def create(self, vals_list):
        params = super().create(vals_list)
        params._check_object_store()
        return params

    def write(self, vals):
        result = super().write(vals)
        self._check_object_store()
        return result

    def _check_object_store(self):
        """A bucket that could lose or rewrite a version is refused when the object store's
        parameters are saved, not at the first upload (R22.4)."""
        if any((param.key or "").startswith(PARAM) for param in self):
            self.env["hr.enforcement.object.store"]._check_configuration()
