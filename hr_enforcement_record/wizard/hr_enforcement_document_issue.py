import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..models.hr_enforcement_document_type import SECTIONS
from ..report.statutory_pdf import write_statutory_document


class HrEnforcementDocumentIssue(models.TransientModel):
    """Issue a statutory document from the case (R3.2, R12.1, R13.1): filled from the case,
    numbered with its type's 文号 without gaps, printed to PDF and stored as the case's
    sealed text record, its file under fixity like any evidence."""

    _name = "hr.enforcement.document.issue"
    _description = "Issue an Enforcement Document"

    case_id = fields.Many2one("hr.enforcement.case", required=True, readonly=True)
    document_type_id = fields.Many2one(
        "hr.enforcement.document.type",
        required=True,
        domain=[
            "|",
            ("number_pattern", "!=", False),
            ("is_transcript", "=", True),
            ("counter_document", "=", False),
        ],
    )
    name = fields.Char("Title")
    needs_officers = fields.Boolean(related="document_type_id.needs_officers")
    certificate_ids = fields.Many2many(
        "hr.enforcement.certificate",
        string="Officers Present (certificates)",
        help="The two certified officers who conduct it (R8.1).",
    )

    @api.model
    def _action_open(self, case, title, type_xmlid=None, **context):
        """The dialog that issues a document of `case`; `type_xmlid` preselects its type and
        `context` names the record it is issued from (a notice, a preservation, a step)."""
        if type_xmlid:
            context["default_document_type_id"] = self.env.ref(type_xmlid).id
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": dict(context, default_case_id=case.id),
        }

    @api.onchange("document_type_id")
    def _onchange_document_type_id(self):
        self.name = self.document_type_id.name

    def action_issue(self):
        self.ensure_one()
        case, kind = self.case_id, self.document_type_id
        case.check_access("write")
        if not (kind.number_pattern or kind.is_transcript) or kind.counter_document:
            raise UserError(_("%(type)s is not issued from the case.", type=kind.name))
        if kind.is_decision and not case._approval_is_granted("decision"):
            raise UserError(_("The decision is not approved yet (R21.1): it cannot be issued."))
        # a preservation named by the client's context counts for its own notice only
        is_notice = kind == self.env.ref("hr_enforcement_record.document_type_preservation_notice")
        preservation = self._preservation() if is_notice else self._preservation().browse()
        if is_notice and (
            preservation.state != "approved"
            or preservation.case_id != case
            or preservation.notice_record_id
        ):
            raise UserError(
                _(
                    "The preservation notice is issued from its approved preservation, once "
                    "(行政处罚法 art. 56; R11.1)."
                )
            )
        notice = self.env["hr.enforcement.penalty.notice"].browse(self.env.context.get("notice_id"))
        if {"proposed", "rights"} & set(kind._sections()):
            notice = notice.exists() or case._get_current_notice()
            if not notice or notice.date_served or notice.text_record_id:
                raise UserError(
                    _(
                        "Write the advance notice (proposed decision and rights) first, then "
                        "issue its document from it (R16.1)."
                    )
                )
        record = self.env["hr.enforcement.text.record"].create(
            {
                "case_id": case.id,
                "name": self.name or kind.name,
                "document_type_id": kind.id,
                "legal_basis": case.legal_basis,
                "remedies_notice": case.remedies_notice
                if "remedies" in kind._sections()
                else False,
                "certificate_ids": [(6, 0, self.certificate_ids.ids)],
            }
        )
        today = fields.Date.context_today(self)
        if not kind.is_transcript:
            record.write({"document_number": kind._next_document_number(case.company_id, today)})
        if notice:
            notice._app().write({"text_record_id": record.id})
        if preservation:
            preservation._app().write({"notice_record_id": record.id})
        stream = io.BytesIO()
        write_statutory_document(stream, case._get_pdf_font(), self._content(record, today, notice))
        stream.seek(0)
        self.env["hr.enforcement.evidence.file"]._create_from_stream(
            stream, f"{record.document_number or record.name}.pdf", record
        )
        if kind.needs_party_signature:
            # a form the party signs: printed, signed, its scan added, then sealed (R9.2)
            record.message_post(
                body=_(
                    "Issued as %(number)s: print it, have it signed, add the signed scan and "
                    "seal it (R9.2).",
                    number=record.document_number or record.name,
                )
            )
        else:
            record._seal()
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    def _content(self, record, day, notice=None):
        texts = self._section_texts(record, notice)
        sections = []
        for key in record.document_type_id._sections():  # not in a comprehension: _lt needs self
            sections.append((str(SECTIONS[key]), texts.get(key) or ""))
        return {
            "authority": record.case_id.sudo().company_id.name,
            "title": record.document_type_id.name,
            "number": record.document_number or "",
            "sections": sections,
            "date": format_date(self.env, day),
            "seal": _("Seal of the authority"),
        }

    def _preservation(self):
        return (
            self.env["hr.enforcement.preservation"]
            .browse(self.env.context.get("preservation_id"))
            .exists()
        )

    def _section_texts(self, record, notice=None):
        """The text of each section the document may state; extended by the sibling addons
        for the sections of their own documents."""
        case = record.case_id.sudo()  # the issuing officer reads the case; sudo for related names
        evidence = (
            self.env["hr.enforcement.text.record"]
            .sudo()
            .search([("case_id", "=", case.id), ("id", "!=", record.id)], order="date, id")
        )
        av = self.env["hr.enforcement.av.record"].sudo().search([("case_id", "=", case.id)])
        return {
            "party": " ".join(
                filter(
                    None, [case.partner_id.name, (case.partner_id.contact_address or "").strip()]
                )
            ).replace("\n", " "),
            "officers": ", ".join(
                f"{cert.employee_id.name} ({cert.number})" for cert in record.certificate_ids
            ),
            "application": case.application_id._application_summary(),
            "facts": case.facts,
            "evidence": "; ".join(
                " ".join(filter(None, [r.name, r.document_number])) for r in evidence
            )
            + ("; " if evidence and av else "")
            + "; ".join(av.mapped("name")),
            "legal_basis": case.legal_basis,
            "factors": case.factors_considered,
            "complainant": " ".join(
                filter(
                    None,
                    [
                        case.complainant_id.name,
                        (case.complainant_id.contact_address or "").strip(),
                    ],
                )
            ).replace("\n", " "),
            "complaint": case.complaint_rejection_record,
            "preservation": self._preservation().sudo()._notice_text(),
            "decision": case.decision_summary,
            "cancellation": case.cancel_reason,
            "remedies": case.remedies_notice,
            "proposed": notice.proposed_decision if notice else "",
            "rights": notice._rights_text() if notice else "",
            "people": _(
                "handled by %(handler)s, reviewed by %(reviewer)s, approved by %(approver)s",
                handler=case.handler_id.name,
                reviewer=case.reviewer_id.name,
                approver=case.approver_id.name,
            ),
        }
