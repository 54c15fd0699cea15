from collections import defaultdict

from odoo import api, models


class IrAttachment(models.Model):
    """Attachments of a frozen enforcement record (sealed, archived, …) are frozen with it,
    for every user, administrators included (R22.3)."""

    _inherit = "ir.attachment"

    def _enforcement_check_frozen(self):
        targets = defaultdict(set)
        for attachment in self.sudo():  # sudo: the rule holds whoever looks
            model = attachment.res_model
            guarded = model in self.env and hasattr(self.env[model], "_guard_check_frozen")
            if model and attachment.res_id and guarded:
                targets[model].add(attachment.res_id)
        for model, ids in targets.items():
            self.env[model].browse(ids).exists()._guard_check_frozen()

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._enforcement_check_frozen()
        return attachments

    def write(self, vals):
        self._enforcement_check_frozen()
        result = super().write(vals)
        if {"res_model", "res_id"} & set(vals):
            self._enforcement_check_frozen()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_enforcement_frozen(self):
        self._enforcement_check_frozen()
