from odoo import api, models

from .hr_enforcement_guard import GuardError


class MailTrackingValue(models.Model):
    """Tracking values of enforcement records are their stage and field history: nobody
    edits or deletes them, administrators included (R22.3)."""

    _inherit = "mail.tracking.value"

    def _enforcement_check_change(self):
        messages = self.sudo().mail_message_id
        if messages._enforcement_is_app():
            return
        for message in messages:
            if messages._enforcement_record(message.model, message.res_id) is not None:
                raise GuardError(
                    self.env._("The change history of enforcement records never changes (R22.3).")
                )

    @api.model_create_multi
    def create(self, vals_list):
        Message = self.env["mail.message"]
        if not Message._enforcement_is_trusted():
            messages = Message.sudo().browse(
                [vals["mail_message_id"] for vals in vals_list if vals.get("mail_message_id")]
            )
            for message in messages:
                if Message._enforcement_holds_history(message.model):
                    raise GuardError(
                        self.env._(
                            "The change history of enforcement records is written by the "
                            "application only (R22.3)."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        self._enforcement_check_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_enforcement(self):
        self._enforcement_check_change()
