from collections import defaultdict

from odoo import api, models

from .hr_enforcement_guard import GuardError


class IrAttachment(models.Model):
    """Attachments of a frozen enforcement record (sealed, archived, …) are frozen with it,
    for every user, administrators included; the file of a field the application owns
    (an issued original) is the application's alone to write (R22.3)."""

    _inherit = "ir.attachment"

    def _enforcement_check_frozen(self):
        targets = defaultdict(set)
        for attachment in self.sudo():  # sudo: the rule holds whoever looks
            model = attachment.res_model
            guarded = model in self.env and hasattr(self.env[model], "_guard_check_frozen")
            if model and attachment.res_id and guarded:
                targets[model, attachment.res_field or None].add(attachment.res_id)
        for (model, field), ids in targets.items():
            records = self.env[model].browse(ids).exists()
            if field and field in records._guard_get_app_fields():
                if not records._guard_is_app():
                    raise GuardError(
                        self.env._(
                            "%(field)s of %(model)s is written by the application only (R22.3).",
                            field=records._guard_field_labels([field]),
                            model=records._description,
                        )
                    )
                records._guard_check_frozen([field])
            else:
                records._guard_check_frozen()

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._enforcement_check_frozen()
        return attachments

    def _is_storage_move(self, vals):
        """The same bytes written again, as Odoo's `force_storage()` does when
        `ir_attachment.location` changes (to the database, for several nodes): the content
        stays what was registered, only where it is kept moves."""
        if not vals or set(vals) - {"raw", "mimetype"} or not isinstance(vals.get("raw"), bytes):
            return False
        checksum = self._compute_checksum(vals["raw"])
        return all(
            attachment.checksum == checksum
            and vals.get("mimetype", attachment.mimetype) == attachment.mimetype
            for attachment in self.sudo()
        )

    def write(self, vals):
        if not self._is_storage_move(vals):
            self._enforcement_check_frozen()
        result = super().write(vals)
        if {"res_model", "res_id"} & set(vals):
            self._enforcement_check_frozen()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_enforcement_frozen(self):
        self._enforcement_check_frozen()
