from odoo import api, models

from .hr_enforcement_guard import APP_KEY, THREAD_KEY, AppToken, GuardError

# what the framework writes on any message: stars, and the e-mail Message-Id it gives a
# message when it sends it (a note on a sealed case is still e-mailed to its followers);
# everything else is content. Checking these would also read every message's model.
MESSAGE_BOOKKEEPING = frozenset({"starred_partner_ids", "message_id"})
# what makes a message say who wrote it, when, of what kind, on what and what it changed:
# given by the application only, never by a client (R21.1, R22.3)
AUTHORSHIP_FIELDS = frozenset(
    {
        "author_id",
        "author_guest_id",
        "email_from",
        "message_type",
        "subtype_id",
        "subtype_xmlid",
        "tracking_value_ids",
        "model",
        "res_id",
        "date",
        "create_date",
        "create_uid",
        "write_date",
        "write_uid",
    }
)
USER_SUBTYPES = ("mail.mt_note", "mail.mt_comment")


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
    def _enforcement_holds_history(self, model):
        """Messages on this model are part of an enforcement record's history: a guarded
        model, or any other model of the enforcement addons (the watchdog's alerts)."""
        if not (model and model in self.env):
            return False
        Model = self.env[model]
        return hasattr(Model, "_guard_frozen_for") or (Model._original_module or "").startswith(
            "hr_enforcement"
        )

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

    def _enforcement_is_trusted(self):
        """The application, the server's own sudo paths (which no RPC call reaches) or the
        thread API whose public entry points checked their values (`message_post`)."""
        return (
            self.env.su
            or self._enforcement_is_app()
            or isinstance(self.env.context.get(THREAD_KEY), AppToken)
        )

    @api.model
    def _enforcement_check_authored(self, vals, default_type="comment"):
        """A client's message on an enforcement record is a comment or a note, written by
        the client in its own name, now, with no tracking values: the kind, the author,
        the subtype, the dates and the change history are the application's (R21.1,
        R22.3) — an officer cannot post, as the approver, a stage change that never
        happened."""
        note_ids = {self.env.ref(x).id for x in USER_SUBTYPES}
        forged = []
        if vals.get("message_type", default_type) != "comment":
            forged.append("message_type")
        if vals.get("author_id") and vals["author_id"] != self.env.user.partner_id.id:
            forged.append("author_id")
        if vals.get("subtype_id") and vals["subtype_id"] not in note_ids:
            forged.append("subtype_id")
        if vals.get("subtype_xmlid") and vals["subtype_xmlid"] not in USER_SUBTYPES:
            forged.append("subtype_xmlid")
        forged += [
            name
            for name in AUTHORSHIP_FIELDS
            - {"message_type", "author_id", "subtype_id", "subtype_xmlid", "model", "res_id"}
            if vals.get(name)
        ]
        if forged:
            raise GuardError(
                self.env._(
                    "Only the application writes notifications, messages in another's name, "
                    "their dates, subtypes and change history (R21.1, R22.3): %(fields)s.",
                    fields=", ".join(sorted(forged)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        trusted = self._enforcement_is_trusted()
        for vals in vals_list:
            if not trusted and self._enforcement_holds_history(vals.get("model")):
                self._enforcement_check_authored(vals)
            record = self._enforcement_record(vals.get("model"), vals.get("res_id"))
            found = record._guard_frozen_for() if record is not None else None
            # the application still tells people of a frozen record what needs them (an
            # activity assigned on an archived case whose file was found damaged, R22.4)
            notice = trusted and vals.get("message_type") == "user_notification"
            if found and (
                vals.get("attachment_ids") or not (self._enforcement_is_note(vals) or notice)
            ):
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
        if AUTHORSHIP_FIELDS & set(vals) and not self._enforcement_is_app():
            self._enforcement_check_authorship_change(vals)
        return super().write(vals)

    def _enforcement_check_authorship_change(self, vals):
        """Who wrote a message, when, of what kind and on which record never changes for a
        message of an enforcement record, and no message is moved onto one, administrators
        included (R22.3)."""
        models = {vals.get("model")} | set(self.sudo().mapped("model"))
        held = sorted(m for m in models if self._enforcement_holds_history(m))
        if held:
            raise GuardError(
                self.env._(
                    "%(model)s: who wrote its messages, when, of what kind and where they "
                    "belong never changes (R22.3).",
                    model=self.env[held[0]]._description,
                )
            )

    def unlink(self):
        self._enforcement_check_change()
        return super().unlink()
