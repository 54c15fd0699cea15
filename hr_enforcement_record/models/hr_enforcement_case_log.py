import io

from odoo import _, api, models
from odoo.exceptions import UserError

from ..report.cjk_pdf import find_font
from ..report.event_log_pdf import write_event_log


# the case is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementCase(models.Model):
    """The case's printouts and its event log: the PDF of the log with its chain heads, the
    check of the chain and the alert when it was altered (R22.3)."""

    _inherit = "hr.enforcement.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ printouts
    @api.model
    def _get_pdf_font(self):
        """The CJK TrueType font that printouts embed: hr_enforcement.receipt_font, else one
        the set-up installs; a clear error in the user's language when there is none."""
        param = self.env["ir.config_parameter"].sudo().get_param("hr_enforcement.receipt_font")
        path = find_font(param)
        if not path:
            raise UserError(
                _(
                    "No Chinese font for the printouts was found. Install the package "
                    "fonts-wqy-microhei, or set the system parameter "
                    "hr_enforcement.receipt_font to a TrueType font file."
                )
            )
        return path

    def action_print_event_log(self):
        self.ensure_one()
        return self.env.ref("hr_enforcement_record.action_report_case_event_log").report_action(
            self
        )

    def _render_reportlab_pdf(self, report_name):
        if report_name != "hr_enforcement_record.report_case_event_log":
            return super()._render_reportlab_pdf(report_name)
        self.ensure_one()
        stream = io.BytesIO()
        self._render_event_log(stream)
        return stream.getvalue()

    def _render_event_log(self, stream):
        """The case's event log with its chain head and the latest daily head (R22.3)."""
        self.ensure_one()
        Event = self.env["hr.enforcement.event"].sudo()  # sudo: the log of a readable case
        head = self.env["hr.enforcement.event.head"].sudo().search([], limit=1)
        labels = {
            "title": _("Event Log of Case %s", self.name),
            "sequence": _("No."),
            "timestamp": _(
                "Time (%(zone)s)", zone=Event.with_company(self.company_id)._bureau_tz().zone
            ),
            "event_type": _("Event"),
            "description": _("Description"),
            "user": _("By"),
            "purpose": _("Purpose"),
            "hash": _("Hash"),
        }
        heading = [
            (_("Chain head of this case"), Event._get_chain_head(self)),
            (
                _("Latest daily head of all cases"),
                f"{head.date} {head.digest}" if head else _("none recorded yet"),
            ),
            (_("Time-stamped at (UTC)"), head.tsa_time or ""),
        ]
        types = dict(Event._fields["event_type"]._description_selection(self.env))
        rows = [
            {
                "sequence": event.sequence,
                "timestamp": event.timestamp_local,
                "event_type": types.get(event.event_type, ""),
                "description": event.description,
                "user": event.user_id.name,
                "purpose": event.purpose,
                "hash": event.hash[:16],
            }
            for event in Event.search([("case_id", "=", self.id)], order="sequence")
        ]
        write_event_log(
            stream, self._get_pdf_font(), labels, heading, rows, self.sudo().company_id.name
        )

    def action_verify_event_chain(self):
        """R22.3: recompute the case's event chain, compare it with its head row and the
        last daily head, and tell the user where it breaks."""
        self.ensure_one()
        broken = self.env["hr.enforcement.event"].sudo()._find_break(self)
        if broken:
            message = _(
                "The event log of %(case)s was altered: %(what)s.", case=self.name, what=broken
            )
        else:
            message = _("The event log of %(case)s is intact.", case=self.name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Event chain"),
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }

    def _alert_broken_log(self, what, key=None):
        """Tell the archivists and the managers, once per break, that this case's log was
        altered (R22.3); the handler alone may be the one who did it. `key` (the break in
        English) finds an alert already given, whatever the language it was given in."""
        self.ensure_one()
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        mark = f"[LOG-{self.id}] {key or what}"
        if self.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and mark in (a.note or "")
        ):
            return
        groups = ("group_archivist", "group_manager")
        users = self.env["res.users"]
        for group in groups:
            users |= self.env.ref(f"hr_enforcement_record.hr_enforcement_record_{group}").users
        for user in users.filtered(lambda u: u.active and not u._is_superuser()):
            local = self.with_context(lang=user.lang or self.env.lang)
            self.activity_schedule(
                "hr_enforcement_record.mail_activity_type_fixity",
                summary=local.env._("The event log of %(case)s was altered", case=self.name),
                note=mark,
                user_id=user.id,
            )
