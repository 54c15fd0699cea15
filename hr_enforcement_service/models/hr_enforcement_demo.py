from odoo import api, fields, models


class HrEnforcementDemo(models.AbstractModel):
    _inherit = "hr.enforcement.demo"

    @api.model
    def _serve_decision(self, case_id):
        """As the handler of a decided demo case: serve the decision in person (receipt
        printed and signed), send it by EMS to the second address (delivered, its signed
        receipt awaiting its return) and record the party's performance."""
        case = self.env["hr.enforcement.case"].browse(case_id)
        handler = case.handler_id
        decision = self.env["hr.enforcement.text.record"].search(
            [
                ("case_id", "=", case.id),
                ("sealed", "=", True),
                ("document_type_id.is_decision", "=", True),
            ],
            limit=1,
        )
        if not decision or not case.partner_id:
            return
        Service = self._as(self.env["hr.enforcement.service"], handler.user_id)
        served_on = case.date_decided or fields.Date.today()
        direct = Service.create(
            {
                "case_id": case.id,
                "document_id": decision.id,
                "recipient_id": case.partner_id.id,
                "method": "direct",
                "service_date": served_on,
                "place": "大连市金普新区劳动保障监察大队",
                "server_id": handler.id,
                "signer_name": "刘建国",
                "signer_relation": "recipient",
                "signed": True,
            }
        )
        direct.action_issue_receipt()
        direct.action_register_served()
        # the signed 送达回证 came back the same day; its scan is the proof of service
        direct.action_register_return(
            {
                "returned_on": served_on,
                "return_signer_type": "recipient",
                "return_signer_name": "刘建国",
                "return_signed": "signed",
            },
            self._scan_pdf(f"signed service receipt {direct.receipt_code}"),
            "送达回证（已签收）.pdf",
        )
        postal = Service.create(
            {
                "case_id": case.id,
                "document_id": decision.id,
                "recipient_id": case.partner_id.id,
                "method": "postal",
                "postal_kind": "ems",
                "tracking_number": "EE202611280001CN",
                "mail_register_ref": "金普人社邮〔2026〕88号",
                "postage_voucher_ref": "邮资凭证：行政处理决定书 金普人社监理〔2026〕7号",
                "server_id": handler.id,
                "service_date": served_on,
                "receipt_proof": "EMS妥投记录：本人签收",
            }
        )
        postal.action_issue_receipt()
        postal.action_register_served()  # delivered; its signed receipt is still to come back
        self._as(self.env["hr.enforcement.execution.step"], handler.user_id).create(
            {
                "case_id": case.id,
                "kind": "performance",
                "performance": "full",
                "date": served_on,
                "notes": "当事人已按决定补缴社会保险费。",
            }
        )
