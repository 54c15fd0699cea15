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
    # printed sealed: one at a time, each with its own signature
    _reportlab_sealed_reports = frozenset(
        {
            "hr_enforcement_record.report_application_supplement",
            "hr_enforcement_record.report_application_acceptance",
            "hr_enforcement_record.report_application_refusal",
        }
    )

    def _counter_type(self, step):
        code = COUNTER_TYPES[self.matter_id.period_set or "licensing"][step]
        return self.env.ref(f"hr_enforcement_record.document_type_{code}")

    def _number_document(self, step, day):
        number_field = COUNTER_FIELDS[step][0]
        return {number_field: self._counter_type(step)._next_document_number(self.company_id, day)}

    def _render_reportlab_pdf(self, report_name):
        if not report_name.startswith("hr_enforcement_record.report_application_"):
            return super()._render_reportlab_pdf(report_name)
        step = {"supplement": "supplement", "acceptance": "accepted", "refusal": "rejected"}[
            report_name.removeprefix("hr_enforcement_record.report_application_")
        ]
        self.ensure_one()
        number_field, date_field = COUNTER_FIELDS[step]
        if not self[number_field]:
            raise UserError(
                _(
                    "%(name)s has no such document: it is issued when the step is taken.",
                    name=self.name,
                )
            )
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
        # 行政许可法 第三十二条: 加盖本行政机关专用印章和注明日期的书面凭证 — sealed as printed
        signed, problem = self.env["hr.enforcement.signing.key"]._seal_drawn_pdf(
            self.company_id, stream.getvalue(), placement, self[number_field]
        )
        if problem:
            _logger.info("%s sealed without a time stamp: %s", self[number_field], problem)
        return signed

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
