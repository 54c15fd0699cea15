from odoo import api, models

from .hr_enforcement_guard import APP_KEY, AppToken, GuardError

# what the framework writes on any message: stars, and the e-mail Message-Id it gives a
# message when it sends it (a note on a sealed case is still e-mailed to its followers);
# everything else is content. Checking these would also read every message's model.
MESSAGE_BOOKKEEPING = frozenset({"starred_partner_ids", "message_id"})


class MailMessage(models.Model):
    """The chatter of enforcement records is part of the record (R22.3): on a frozen record
    only internal notes and the application's own logs are added, never with attachments;
    nothing on it is edited or deleted; tracking messages — the stage history — are never
    edited or deleted on any enforcement record, by anyone, administrators included."""

    _inherit = "mail.message"

    @api.model
    def _enforcement_record(self, model, res_id):
        if not (model and res_id and model in self.env):
            return None
        Model = self.env[model]
        return Model.browse(res_id).sudo() if hasattr(Model, "_guard_frozen_for") else None

    @api.model
    def _enforcement_is_note(self, vals):
        if vals.get("message_type") == "notification":
            return True
        note = self.env.ref("mail.mt_note", raise_if_not_found=False)
        return (
            vals.get("message_type", "comment") == "comment"
            and note
            and (vals.get("subtype_id") == note.id)
        )

    def _enforcement_is_app(self):
        token = self.env.context.get(APP_KEY)
        return isinstance(token, AppToken) and self._name in token.models

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            record = self._enforcement_record(vals.get("model"), vals.get("res_id"))
            found = record._guard_frozen_for() if record is not None else None
            if found and (vals.get("attachment_ids") or not self._enforcement_is_note(vals)):
                raise GuardError(
                    self.env._(
                        "%(record)s is frozen (%(reason)s): only an internal note without "
                        "attachments may be added.",
                        record=found[0].display_name,
                        reason=found[1].message,
                    )
                )
        return super().create(vals_list)

    def _enforcement_check_change(self):
        if self._enforcement_is_app():
            return
        for message in self.sudo():  # sudo: the rule holds whoever asks
            record = self._enforcement_record(message.model, message.res_id)
            if record is None:
                continue
            if message.tracking_value_ids:
                raise GuardError(
                    self.env._(
                        "The change history of %(record)s is never edited or deleted (R22.3).",
                        record=record.display_name,
                    )
                )
            found = record._guard_frozen_for()
            if found:
                raise GuardError(
                    self.env._(
                        "%(record)s is frozen (%(reason)s); its messages do not change.",
                        record=found[0].display_name,
                        reason=found[1].message,
                    )
                )

    def write(self, vals):
        if set(vals) - MESSAGE_BOOKKEEPING:
            self._enforcement_check_change()
        return super().write(vals)

    def unlink(self):
        self._enforcement_check_change()
        return super().unlink()
