from collections import defaultdict

from odoo import api, models


class IrAttachment(models.Model):
    """No attachment, chatter file or issued original reaches a record registered as a
    state secret kept on paper (R20.1; 保守国家秘密法 (2024) 第三十一条(三))."""

    _inherit = "ir.attachment"

    def _enforcement_check_no_state_secret(self):
        targets = defaultdict(set)
        for attachment in self.sudo():  # sudo: the rule holds whoever attaches
            model = attachment.res_model
            if (
                model
                and attachment.res_id
                and model in self.env
                and "secret_on_paper" in self.env[model]._fields
            ):
                targets[model].add(attachment.res_id)
        for model, ids in targets.items():
            self.env[model].sudo().browse(ids).exists()._check_no_state_secret()

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._enforcement_check_no_state_secret()
        return attachments

    def write(self, vals):
        result = super().write(vals)
        if {"res_model", "res_id"} & set(vals):
            self._enforcement_check_no_state_secret()
        return result
