import base64
import io
import math
import secrets
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from odoo import _, api, fields, models


class HrEnforcementDemo(models.AbstractModel):
    """Walks demo cases through their stages as the people on them would, so that the demo
    obeys every rule of the real application (no shortcuts around the approval chain)."""

    _name = "hr.enforcement.demo"
    _description = "Enforcement Demo Data Helper"

    @api.model
    def _load_terms(self, module):
        """Odoo loads a module's translations after its demo data: load them first, so
        that what the demo users do is written in their language (chatter, activities)."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self.env["ir.module.module"]._load_module_terms([module], langs, overwrite=True)
            # the terms were written by SQL: values read before are stale
            self.env.invalidate_all()

    @api.model
    def _demo_pkcs12(self, common_name):
        """(PKCS#12 archive, passphrase) of a self-signed certificate made on the spot,
        valid over every date the demo and its walkthroughs travel to (backdated cases)."""
        company = self.env.company
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name(
            [
                x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, company.name),
                x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "CN"),
            ]
        )
        start = datetime(2020, 1, 1, tzinfo=timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start.replace(year=2045))
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        passphrase = secrets.token_urlsafe(12)
        archive = pkcs12.serialize_key_and_certificates(
            b"demo",
            key,
            cert,
            None,
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
        return archive, passphrase

    @api.model
    def _demo_signing_key(self):
        """The bureau's demo seal: a self-signed certificate and a drawn seal marked as a
        demo one, so that the demo issues signed documents with nothing that could pass for
        a real seal."""
        company = self.env.company
        archive, passphrase = self._demo_pkcs12(f"{company.name}（演示）")
        self.env["hr.enforcement.signing.key"].create(
            {
                "name": _("Demo seal (not valid for real documents)"),
                "company_id": company.id,
                "pkcs12_file": base64.b64encode(archive),
                "pkcs12_filename": "demo-seal.p12",
                "passphrase": passphrase,
                "seal_image": base64.b64encode(self._demo_seal_png()),
            }
        )

    @api.model
    def _demo_personal_keys(self, user_xmlids):
        """Demo certificates of their own for the reviewer and the approver: their opinions
        on approvals are signed as they act (R21.1)."""
        for xmlid in user_xmlids:
            user = self.env.ref(xmlid)
            archive, passphrase = self._demo_pkcs12(f"{user.name}（演示）")
            self.env["hr.enforcement.signing.key"].create(
                {
                    "name": _("%(name)s's demo certificate", name=user.name),
                    "user_id": user.id,
                    "pkcs12_file": base64.b64encode(archive),
                    "pkcs12_filename": "demo-personal.p12",
                    "passphrase": passphrase,
                }
            )

    @api.model
    def _demo_seal_png(self):
        """A red ring with a star and the words 演示专用章 (demo only), transparent around."""
        size = 420
        image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        red = (210, 20, 20, 235)
        draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=14)
        centre = size / 2
        star = [
            (
                centre + radius * math.cos(math.radians(90 + 36 * i)),
                centre - 30 - radius * math.sin(math.radians(90 + 36 * i)),
            )
            for i, radius in enumerate([60, 24] * 5)
        ]
        draw.polygon(star, fill=red)
        font_path = self.env["hr.enforcement.case"]._get_pdf_font()
        font = ImageFont.truetype(font_path, 52)
        draw.text((centre, centre + 95), "演示专用章", font=font, fill=red, anchor="mm")
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    @api.model
    def _drop_foreign_demo_chat(self):
        """Odoo's demo chat ("Marc Demo: Building B3…") is in English and about another
        company: the bureau's demo users, members of the company channel, would read it."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "mail"), ("model", "=", "mail.message")]
        )
        self.env["mail.message"].browse(data.mapped("res_id")).exists().unlink()

    @api.model
    def _as(self, records, user):
        """`records` as `user` would act on them, in their language."""
        return records.with_user(user).with_context(lang=user.lang or self.env.lang)

    @api.model
    def _approve(self, case, kind, proposal, review, approval, extension_days=0):
        case_as_handler = self._as(case, case.handler_id.user_id)
        request = self._as(self.env["hr.enforcement.approval"], case.handler_id.user_id).create(
            {
                "res_model": case._name,
                "res_id": case.id,
                "kind": kind,
                "proposal": proposal,
                "extension_days": extension_days,
                "reviewer_id": case.reviewer_id.user_id.id,
                "approver_id": case.approver_id.user_id.id,
            }
        )
        request.action_submit()
        self._as(request, case.reviewer_id.user_id)._transition("reviewed", review_opinion=review)
        self._as(request, case.approver_id.user_id)._transition(
            "approved", approval_opinion=approval
        )
        return case_as_handler

    @api.model
    def _walk(self, case_id, stage, steps=()):
        """Bring a case to `stage`; `steps` are investigation step values to record."""
        case = self.env["hr.enforcement.case"].browse(case_id)
        handler = case.handler_id.user_id
        case = self._as(case, handler)
        if stage == "initiation":
            return
        if case._requires_opening_approval():
            self._approve(case, "case_opening", "建议立案调查。", "同意立案。", "同意。")
        case.action_start_investigation()
        for values in steps:
            self._as(self.env["hr.enforcement.investigation"], handler).create(
                dict(values, case_id=case.id)
            )
        if stage == "investigation":
            return
        self._complete_requirements(case)
        case.action_to_decision()
        if stage == "decision":
            return
        self._approve(case, "decision", "拟作出处理决定。", "事实清楚，证据充分。", "同意。")
        self._complete_requirements(case)
        case.action_to_service()

    @api.model
    def _issue_document(self, case_id, type_xmlid):
        """Issue a statutory document from the case, as its handler would."""
        case = self.env["hr.enforcement.case"].browse(case_id)
        wizard = self._as(self.env["hr.enforcement.document.issue"], case.handler_id.user_id)
        wizard.with_context(default_case_id=case.id).create(
            {"document_type_id": self.env.ref(type_xmlid).id}
        ).action_issue()

    @api.model
    def _complete_requirements(self, case):
        """Record, as the handler, the text records that the completeness matrix asks for."""
        # as the handler, in their language (the records take the requirements' names)
        missing = case.env["hr.enforcement.case.requirement"].search(
            [("case_id", "=", case.id), ("status", "=", "missing")]
        )
        certificates = case.investigation_ids[:1].officer_line_ids.certificate_id
        # text records only, and not those the penalty procedure makes (notices, hearings)
        for line in missing.filtered(
            lambda m: m.requirement_id.document_type_id and not m.requirement_id.condition
        ):
            kind = line.requirement_id.document_type_id
            record = self._as(
                self.env["hr.enforcement.text.record"], case.handler_id.user_id
            ).create(
                {
                    "case_id": case.id,
                    "name": line.requirement_id.name,
                    "document_type_id": kind.id,
                    "certificate_ids": [(6, 0, certificates.ids)] if kind.needs_officers else [],
                    "certificates_shown": True,
                    "party_signed": True,
                    "av_exemption_reason": "书面审查，无需现场音像记录。"
                    if kind.needs_av
                    else False,
                    "legal_basis": case.legal_basis,
                    "remedies_notice": case.remedies_notice if kind.is_decision else False,
                }
            )
            # the signed paper, scanned: a case file lists no record without its file
            self._attach_scan(record, f"{kind.code or 'document'}-{record.id}.pdf")

    @api.model
    def _record_inquiry(self, case):
        """As the handler, the signed inquiry transcript of the party's representative, by
        the two officers of the investigation, with its scan (R8.1, R9.2)."""
        certificates = case.investigation_ids[:1].officer_line_ids.certificate_id
        record = self._as(self.env["hr.enforcement.text.record"], case.handler_id.user_id).create(
            {
                "case_id": case.id,
                "name": "询问笔录（被调查单位法定代表人）",
                "document_type_id": self.env.ref("hr_enforcement_record.document_type_inquiry").id,
                "certificate_ids": [(6, 0, certificates.ids)],
                "certificates_shown": True,
                "party_signed": True,
            }
        )
        self._attach_scan(record, f"inquiry-{record.id}.pdf")
        return record

    @api.model
    def _notify_and_waive(self, case_id, values):
        """As the handler: the advance notice issued from the case and served today, then
        the party's signed written waiver recorded (行政处罚法 第44、62条, R16.1)."""
        case = self.env["hr.enforcement.case"].browse(case_id)
        handler = case.handler_id.user_id
        self._record_inquiry(case)  # the evidence the notice lists (行政处罚法 第四十四条)
        notice = self._as(self.env["hr.enforcement.penalty.notice"], handler).create(
            dict(values, case_id=case.id)
        )
        notice.action_issue_document()
        notice.write({"date_served": fields.Date.context_today(notice)})
        waiver = self._as(self.env["hr.enforcement.text.record"], handler).create(
            {
                "case_id": case.id,
                "name": "放弃陈述、申辩和听证权利声明书",
                "document_type_id": self.env.ref(
                    "hr_enforcement_record.document_type_rights_waiver"
                ).id,
                "party_signed": True,
            }
        )
        self._attach_scan(waiver, f"rights_waiver-{waiver.id}.pdf")
        notice.write({"waiver_record_id": waiver.id})
        notice.action_record_waiver()

    @api.model
    @api.model
    def _scan_pdf(self, label):
        """A one-page PDF standing for the scan of a signed demo paper."""
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
        page.setFont("Helvetica", 12)
        page.drawString(72, 770, f"hr_enforcement demo: {label} (scan)")
        page.showPage()
        page.save()
        return buffer.getvalue()

    def _attach_scan(self, record, filename):
        """The scan of a signed demo document, added to its record."""
        # as the record's author, like an upload from the form
        return record.env["hr.enforcement.evidence.file"]._create_from_stream(
            io.BytesIO(self._scan_pdf(f"document {record.id}")), filename, record
        )

    @api.model
    def _counter_application(self, station_id, values, hours_ago=48):
        """An application received at the counter `hours_ago` hours ago, within a
        three-hour segment of the counter camera pushed by the station; the officer
        ticks the materials, links the segment and accepts (R6.1, R6.2)."""
        station = self.env["hr.enforcement.station"].browse(station_id)
        application_values = dict(values)
        start = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=hours_ago + 1)
        body = io.BytesIO(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096))
        name = f"受理窗口录像-{start:%Y%m%d-%H%M}.mp4"
        facts = self.env["hr.enforcement.filestore"]._ingest(body, name)
        clip = station.sudo()._receive_clip(
            facts,
            name,
            {
                "device_id": application_values["counter_device_id"],
                "officer_id": False,
                "capture_start": start,
                "capture_end": start + timedelta(hours=3),
            },
        )
        officer = self.env["hr.employee"].browse(application_values["officer_id"]).user_id
        Application = self._as(self.env["hr.enforcement.application"], officer)
        application = Application.create(
            dict(application_values, received_at=start + timedelta(hours=1))
        )
        application.material_ids.write({"received": True})
        application.write({"counter_clip_id": clip.id})
        application.action_accept()
        return application.id
