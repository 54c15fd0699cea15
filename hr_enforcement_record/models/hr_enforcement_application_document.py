import base64
import hashlib
import io
import logging

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..report.statutory_pdf import write_statutory_document
from .hr_enforcement_guard import CHINESE_DATE_LABELS

_logger = logging.getLogger(__name__)

# the written documents of the counter (行政许可法 第三十二条: 加盖专用印章和注明日期的书面凭证),
# each numbered on the type's sequence when the step is taken (工伤认定办法 第八条 names those
# of a work-injury application): step -> (document type, number field, date field)
COUNTER_FIELDS = {
    "supplement": ("supplement_number", "supplement_date"),
    "accepted": ("acceptance_number", "decided_on"),
    "rejected": ("refusal_number", "decided_on"),
}
# the sealed original given to the applicant, kept as issued: (file field, its SHA-256)
ORIGINAL_FIELDS = {
    "supplement": ("supplement_original", "supplement_original_sha256"),
    "accepted": ("acceptance_original", "acceptance_original_sha256"),
    "rejected": ("refusal_original", "refusal_original_sha256"),
}
ORIGINAL_FIELD_NAMES = frozenset(name for pair in ORIGINAL_FIELDS.values() for name in pair)
COUNTER_TYPES = {
    "licensing": {
        "supplement": "licence_supplement_notice",
        "accepted": "licence_acceptance_notice",
        "rejected": "licence_refusal_acceptance",
    },
    "injury": {
        "supplement": "injury_supplement_notice",
        "accepted": "injury_acceptance",
        "rejected": "injury_refusal_acceptance",
    },
}


# the application is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementApplication(models.Model):
    """The applicant's written documents (行政许可法 第三十二条: 加盖专用印章和注明日期的书面凭证;
    工伤认定办法 第八条): numbered when their step is taken, printed from the application's
    Print menu in the statutory layout of the case's documents."""

    _inherit = "hr.enforcement.application"  # pylint: disable=consider-merging-classes-inherited
    # served as issued, sealed: one at a time, never merged
    _reportlab_sealed_reports = frozenset(
        {
            "hr_enforcement_record.report_application_supplement",
            "hr_enforcement_record.report_application_acceptance",
            "hr_enforcement_record.report_application_refusal",
        }
    )

    # the originals are written once when the step is taken, the decision included
    _guard_decided_writable = frozenset(
        {"counter_clip_id", "extension_days"} | ORIGINAL_FIELD_NAMES
    )

    # written once, when the step is taken (R12.1, R22.3): served and archived as issued
    supplement_original = fields.Binary(
        "Supplement Notice (Issued Original)", attachment=True, readonly=True, copy=False
    )
    supplement_original_sha256 = fields.Char("Supplement Notice SHA-256", readonly=True, copy=False)
    acceptance_original = fields.Binary(
        "Acceptance Notice (Issued Original)", attachment=True, readonly=True, copy=False
    )
    acceptance_original_sha256 = fields.Char("Acceptance Notice SHA-256", readonly=True, copy=False)
    refusal_original = fields.Binary(
        "Refusal Decision (Issued Original)", attachment=True, readonly=True, copy=False
    )
    refusal_original_sha256 = fields.Char("Refusal Decision SHA-256", readonly=True, copy=False)

    def _counter_type(self, step):
        code = COUNTER_TYPES[self.matter_id.period_set or "licensing"][step]
        return self.env.ref(f"hr_enforcement_record.document_type_{code}")

    def _number_document(self, step, day):
        number_field = COUNTER_FIELDS[step][0]
        return {number_field: self._counter_type(step)._next_document_number(self.company_id, day)}

    def _render_reportlab_pdf(self, report_name):
        """The counter document as it was issued: the stored sealed original, checked
        against its SHA-256 before it is served (R22.4). One issued before originals were
        kept is sealed and stored at its first printing."""
        if not report_name.startswith("hr_enforcement_record.report_application_"):
            return super()._render_reportlab_pdf(report_name)
        step = {"supplement": "supplement", "acceptance": "accepted", "refusal": "rejected"}[
            report_name.removeprefix("hr_enforcement_record.report_application_")
        ]
        self.ensure_one()
        number_field = COUNTER_FIELDS[step][0]
        if not self[number_field]:
            raise UserError(
                _(
                    "%(name)s has no such document: it is issued when the step is taken.",
                    name=self.name,
                )
            )
        file_field, digest_field = ORIGINAL_FIELDS[step]
        if not self[digest_field]:
            self._issue_counter_document(step)
        # bin_size off: the bytes themselves, whatever the client's context asked
        original = base64.b64decode(self.with_context(bin_size=False)[file_field] or b"")
        if hashlib.sha256(original).hexdigest() != self[digest_field]:
            _logger.error("%s: the stored original does not match its SHA-256", self[number_field])
            self._alert_damaged_original(step)
            raise UserError(
                _(
                    "The stored original of %(number)s is damaged: it does not match the "
                    "SHA-256 recorded when it was issued, and is not served (R22.4). Tell "
                    "the records manager.",
                    number=self[number_field],
                )
            )
        return original

    def _alert_damaged_original(self, step):
        """Tell the people accountable that an issued original is damaged (R22.4): the
        officer who received the application, their leader, the department's manager and
        the archivists — once per document, in their language. Kept in a transaction of
        its own: the printing that found the damage is refused and rolled back."""
        number = self[COUNTER_FIELDS[step][0]]
        ref = f"[{number}]"
        with self.env.registry.cursor() as cr:
            application = self.with_env(self.env(cr=cr, su=True))
            kind = application.env.ref("hr_enforcement_record.mail_activity_type_fixity")
            if application.activity_ids.filtered(
                lambda a: a.activity_type_id == kind and ref in (a.summary or "")
            ):
                return
            officer = application.officer_id
            users = officer.user_id | officer.parent_id.user_id
            users |= application.department_id.manager_id.user_id
            users |= application.env.ref(
                "hr_enforcement_record.hr_enforcement_record_group_archivist"
            ).users
            users = users.filtered("active") or application.env.ref("base.user_admin")
            for user in users:
                local = application.with_context(lang=user.lang or self.env.lang)
                application.activity_schedule(
                    "hr_enforcement_record.mail_activity_type_fixity",
                    summary=local.env._("%(ref)s issued original damaged", ref=ref),
                    note=local.env._(
                        "The stored original of %(number)s no longer matches the SHA-256 "
                        "recorded when it was issued (%(sha)s). It is not served; restore it "
                        "from the backup (R22.4).",
                        number=number,
                        sha=self[ORIGINAL_FIELDS[step][1]],
                    ),
                    user_id=user.id,
                )

    def _issue_counter_document_or_say(self, step):
        """`_issue_counter_document`, for a step the law takes whatever happens (acceptance
        by law, R6.1): a document that cannot be sealed now is said on the application and
        sealed at its first printing."""
        try:
            with self.env.cr.savepoint():
                self._issue_counter_document(step)
        except UserError as error:
            self._app("mail.message").message_post(
                body=_(
                    "%(number)s could not be sealed now (%(why)s); it is sealed and kept "
                    "when it is first printed.",
                    number=self[COUNTER_FIELDS[step][0]],
                    why=error.args[0],
                )
            )

    def _issue_counter_document(self, step):
        """Draw the step's document, seal it (行政许可法 第三十二条: 加盖本行政机关专用印章和注明
        日期的书面凭证) and keep it as issued, once (R12.1, R22.3). A seal without its time
        stamp is said on the application."""
        self.ensure_one()
        number_field, date_field = COUNTER_FIELDS[step]
        file_field, digest_field = ORIGINAL_FIELDS[step]
        if self[digest_field]:
            raise UserError(_("%(number)s is issued already.", number=self[number_field]))
        kind = self._counter_type(step)
        stream = io.BytesIO()
        placement = write_statutory_document(
            stream,
            self.env["hr.enforcement.case"]._get_pdf_font(),
            {
                "authority": self.company_id.name,
                "title": kind.name,
                "number": self[number_field],
                "sections": self._document_sections(step),
                "date": CHINESE_DATE_LABELS["day"](self[date_field]),
                "no_text": _("(This page has no text)"),
            },
        )
        signed, problem = self.env["hr.enforcement.signing.key"]._seal_drawn_pdf(
            self.company_id, stream.getvalue(), placement, self[number_field]
        )
        self._app().write(
            {
                file_field: base64.b64encode(signed),
                digest_field: hashlib.sha256(signed).hexdigest(),
            }
        )
        if problem:
            self._app("mail.message").message_post(
                body=_(
                    "%(number)s sealed without a trusted time stamp (%(why)s).",
                    number=self[number_field],
                    why=problem,
                )
            )

    def _application_summary(self):
        if not self:
            return ""
        self.ensure_one()
        received = fields.Date.context_today(self, self.received_at)
        summary = _(
            "%(matter)s, application %(name)s received on %(day)s",
            matter=self.matter_id.name,
            name=self.name,
            day=format_date(self.env, received),
        )
        if self.accepted_on:
            summary += _(", accepted on %(day)s", day=format_date(self.env, self.accepted_on))
        return summary

    def _document_sections(self, step):
        sections = [
            (_("Applicant"), self.applicant_id.name),
            (_("Application"), self._application_summary()),
        ]
        if step == "supplement":
            sections.append(
                (
                    _("Materials to Supplement, All at Once"),
                    (self.supplement_notice or "").replace("\n", "; "),
                )
            )
        elif step == "accepted":
            sections.append(
                (
                    _("Acceptance"),
                    _(
                        "Accepted by law from its receipt on %(day)s (行政许可法 art. 32 (4)). "
                        "The decision is due by %(due)s.",
                        day=format_date(self.env, self.accepted_on),
                        due=format_date(self.env, self.decision_deadline),
                    )
                    if self.deemed_accepted
                    else _(
                        "Accepted on %(day)s. The decision is due by %(due)s.",
                        day=format_date(self.env, self.accepted_on),
                        due=format_date(self.env, self.decision_deadline),
                    ),
                )
            )
        else:
            sections += [
                (_("Reasons for Not Accepting"), self.refusal_reason),
                (_("Competent Authority"), self.refer_to or "—"),
                (
                    _("Remedies"),
                    self.env["hr.enforcement.case"]._default_remedies_notice(),
                ),
            ]
        return sections
