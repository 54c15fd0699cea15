import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from ..models.hr_enforcement_document_type import SECTIONS
from ..models.hr_enforcement_guard import CHINESE_DATE_LABELS
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
    lists_evidence = fields.Boolean(compute="_compute_lists_evidence")
    evidence_text_ids = fields.Many2many(
        "hr.enforcement.text.record",
        string="Evidence (records)",
        domain="[('case_id', '=', case_id), ('document_type_id.number_pattern', '=', False)]",
        compute="_compute_evidence",
        store=True,
        readonly=False,
        help="The transcripts and records this document lists as its evidence (行政处罚法 "
        "第五十九条: 违反法律、法规、规章的事实和证据). Issued notices and internal forms are "
        "not evidence.",
    )
    evidence_av_ids = fields.Many2many(
        "hr.enforcement.av.record",
        string="Evidence (audio-visual)",
        domain="[('case_id', '=', case_id)]",
        compute="_compute_evidence",
        store=True,
        readonly=False,
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

    @api.depends("document_type_id")
    def _compute_lists_evidence(self):
        for wizard in self:
            wizard.lists_evidence = "evidence" in wizard.document_type_id._sections()

    @api.depends("case_id")
    def _compute_evidence(self):
        """The case's evidence, offered for the officer to keep or remove."""
        for wizard in self:
            case = wizard.case_id.id
            wizard.evidence_text_ids = self.env["hr.enforcement.text.record"].search(
                [("case_id", "=", case), ("document_type_id.number_pattern", "=", False)],
                order="id",
            )
            wizard.evidence_av_ids = self.env["hr.enforcement.av.record"].search(
                [("case_id", "=", case)], order="id"
            )

    def _check_evidence(self, case, kind):
        """R12.1 (行政处罚法 第五十九条): a document that states evidence lists what the
        officer chose, from its own case, and nothing that is not evidence."""
        texts, av = self.evidence_text_ids, self.evidence_av_ids
        if "evidence" not in kind._sections():
            return
        if not texts and not av:
            raise UserError(_("Choose the evidence that %(type)s lists (R12.1).", type=kind.name))
        foreign = (texts.sudo().case_id | av.sudo().case_id) - case
        not_evidence = texts.sudo().filtered("document_type_id.number_pattern")
        if foreign or not_evidence:
            raise UserError(
                _(
                    "Only the transcripts, records and audio-visual records of this case are "
                    "evidence; issued documents and internal forms are not (R12.1)."
                )
            )

    def _check_remedies(self, case, kind):
        """行政复议法 (2023) 第二十条 and 行政诉讼法 第四十六条: the periods run from the day the
        party knows of the decision; the notice of remedies names where to go, or the party
        is not told its remedies (行政复议法 第二十条第三款)."""
        if "remedies" not in kind._sections():
            return
        company = case.sudo().company_id
        remedies = case.remedies_notice or ""
        bodies = [company.enforcement_review_body, company.enforcement_court]
        if not all(bodies) or not all(body in remedies for body in bodies):
            raise UserError(
                _(
                    "The remedies of %(type)s name the reconsideration body and the court "
                    "(行政复议法 art. 20; 行政诉讼法 art. 46). A manager enters them on the "
                    "company; the case's remedies then name them: %(bodies)s.",
                    type=kind.name,
                    bodies=", ".join(filter(None, bodies)) or _("(not entered)"),
                )
            )

    def action_issue(self):
        self.ensure_one()
        case, kind = self.case_id, self.document_type_id
        case.check_access("write")
        # before a number is taken: a document that cannot be sealed is not issued (R12.1)
        self.env["hr.enforcement.signing.key"]._active_for(case.sudo().company_id)
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
        self._check_evidence(case, kind)
        self._check_remedies(case, kind)
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
        record._draw_document_number(today)
        if notice:
            notice._app().write({"text_record_id": record.id})
        if preservation:
            preservation._app().write({"notice_record_id": record.id})
        signed = self._sealed_pdf(record, self._content(record, today, notice))
        self.env["hr.enforcement.evidence.file"]._create_from_stream(
            io.BytesIO(signed), f"{record.document_number or record.name}.pdf", record
        )
        if kind.needs_party_signature:
            # a form the party signs: printed, signed, its scan added, then sealed (R9.2)
            record._app("mail.message").message_post(
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

    def _sealed_pdf(self, record, content):
        """The document as it is served and archived: PDF/A-2b, signed with the bureau's
        seal (PAdES) and time-stamped (R12.1, R14, R22.3). A seal without its time stamp is
        said on the record, for the issuer to see."""
        company = record.case_id.sudo().company_id
        stream = io.BytesIO()
        placement = write_statutory_document(stream, record.case_id._get_pdf_font(), content)
        signed, problem = self.env["hr.enforcement.signing.key"]._seal_drawn_pdf(
            company, stream.getvalue(), placement, record.document_number or record.name
        )
        if problem:
            record._app("mail.message").message_post(
                body=_(
                    "Sealed without a trusted time stamp (%(why)s): the time of sealing is "
                    "the server's own until the chain heads are stamped.",
                    why=problem,
                )
            )
        return signed

    def _content(self, record, day, notice=None):
        """What the writer prints: the type's sections in its order, the type's own wording
        after the party and before the foot, and for an internal form the opinions."""
        kind = record.document_type_id
        texts = self._section_texts(record, notice)
        parties = [key for key in kind._sections() if key in ("party", "complainant")]
        sections = []
        if kind.opening_text and not parties:
            sections.append(("", kind.opening_text))
        for key in kind._sections():  # not in a comprehension: _lt needs self
            if key == "people":
                continue  # an internal form's opinions, printed as its own table
            sections.append((str(SECTIONS[key]), texts.get(key) or ""))
            if kind.opening_text and parties and key == parties[-1]:
                sections.append(("", kind.opening_text))
        if kind.closing_text:
            sections.append(("", kind.closing_text))
        return {
            "authority": record.case_id.sudo().company_id.name,
            "title": kind.name,
            "number": record.document_number or "",
            "sections": sections,
            "opinions": self._opinions(record) if kind.approval_kind else [],
            "opinion_labels": {
                "role": "",
                "opinion": _("Opinion"),
                "name": _("Name and signature"),
                "date": _("Date"),
            },
            "internal": bool(kind.approval_kind),
            "date": CHINESE_DATE_LABELS["day"](day),  # GB/T 9704: 2026年12月4日
            "no_text": _("(This page has no text)"),
        }

    def _opinions(self, record):
        """Each person's opinion, name and date on an internal form (审批表): from the latest
        approval of the form's kind, else blank lines for the people of the case to fill in
        and sign by hand."""
        case = record.case_id.sudo()
        approval = (
            self.env["hr.enforcement.approval"]
            .sudo()
            .search(
                [("case_id", "=", case.id), ("kind", "=", record.document_type_id.approval_kind)],
                order="id desc",
                limit=1,
            )
        )

        def day(moment):
            if not moment:
                return ""
            return CHINESE_DATE_LABELS["day"](fields.Datetime.context_timestamp(self, moment))

        def name(person, slot):
            # signed with their own certificate when they took the step (R21.1)
            signer = approval._signature_label(slot) if approval else ""
            if not signer:
                return person or ""
            return "\n".join([person or "", _("Signed electronically: %(name)s", name=signer)])

        return [
            {
                "role": _("Handler's proposal"),
                "name": name(approval.proposer_id.name or case.handler_id.name, "proposal"),
                "opinion": approval.proposal or "",
                "date": day(approval.date_submitted),
            },
            {
                "role": _("Reviewer's opinion"),
                "name": name(approval.reviewer_id.name or case.reviewer_id.name, "review"),
                "opinion": approval.review_opinion or "",
                "date": day(approval.date_reviewed),
            },
            {
                "role": _("Approver's opinion"),
                "name": name(approval.approver_id.name or case.approver_id.name, "approval"),
                "opinion": approval.approval_opinion or "",
                "date": day(approval.date_decided),
            },
        ]

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
        evidence = self.evidence_text_ids.sudo().sorted("id")  # in the order recorded
        av = self.evidence_av_ids.sudo()
        return {
            "party": "\n".join(case.partner_id._enforcement_party_lines())
            if case.partner_id
            else "",
            "officers": ", ".join(
                f"{cert.employee_id.name} ({cert.number})" for cert in record.certificate_ids
            ),
            "application": case.application_id._application_summary(),
            "facts": case.facts,
            "evidence": "\n".join(
                f"{number}. {name}"
                for number, name in enumerate(
                    [*evidence.mapped("name"), *av.mapped("name")], start=1
                )
            ),
            "legal_basis": case.legal_basis,
            "factors": case.factors_considered,
            "complainant": "\n".join(case.complainant_id._enforcement_party_lines())
            if case.complainant_id
            else "",
            "complaint": case.complaint_rejection_record,
            "preservation": self._preservation().sudo()._notice_text(),
            "decision": case.decision_summary,
            "cancellation": case.cancel_reason,
            "remedies": case.remedies_notice,
            "proposed": notice.proposed_decision if notice else "",
            "rights": notice._rights_text() if notice else "",
            "performance": self._performance_text(case)
            if record.document_type_id.is_decision
            and "performance" in record.document_type_id._sections()
            else "",
        }

    def _performance_text(self, case):
        """履行方式和期限 of a penalty decision (行政处罚法 第五十九条（四）): a fine is paid within
        15 days of service at the designated bank or electronically (第六十七条, calendar
        days), 3 % of the fine a day added when late, never more than the fine
        (第七十二条（一）)."""
        if case.penalty_kind != "fine":
            return _("Perform the decision above from the day this decision is served.")
        bank = case.company_id.enforcement_fine_bank
        if not bank:
            raise UserError(
                _(
                    "A penalty decision with a fine names the bank designated for fines "
                    "(行政处罚法 art. 67): a manager enters it on the company."
                )
            )
        return _(
            "Pay the fine of %(amount)s within 15 days of receiving this decision at %(bank)s "
            "or through the electronic payment system (行政处罚法 art. 67). If it is not paid "
            "in time, 3%% of the fine is added for each day of delay, up to the amount of the "
            "fine (art. 72).",
            amount=format_amount(self.env, case.fine_amount, case.currency_id),
            bank=bank,
        )
