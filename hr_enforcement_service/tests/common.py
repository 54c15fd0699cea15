from datetime import date

from odoo.addons.hr_enforcement_record.tests.test_evidence import PDF, EvidenceCase


class ServiceCase(EvidenceCase):
    """A decided case whose decision may be served, and printed receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recipient = cls.env["res.partner"].create({"name": "Zhou Fang"})

    def _served_case(self, prepare=None):
        """A case whose decision was approved and that is at service; `prepare(case)` runs
        at review & decision, before the decision is proposed."""
        case = self._open_case()
        decision = self._text(
            case,
            self.doc_decision,
            name="Administrative penalty decision",
            certificate_ids=[],
            legal_basis="Labour Contract Law art. 82",
            remedies_notice="Reconsideration within 60 days.",
        )
        self._upload(decision, PDF, "decision.pdf")  # the signed decision, scanned
        self._add_step(case)
        self._excuse_missing(case)
        case.action_to_decision()
        case.write({"decision_summary": "Fine"})
        if prepare:
            prepare(case)
        self._approve(case, "decision")
        self._excuse_missing(case)
        case.action_to_service()
        return case, decision

    def _service(self, case, document, method, **values):
        return (
            self.env["hr.enforcement.service"]
            .with_user(self.officer)
            .create(
                dict(
                    {
                        "case_id": case.id,
                        "document_id": document.id,
                        "recipient_id": self.recipient.id,
                        "method": method,
                        "service_date": date.today(),
                        "server_id": self.officer.employee_id.id,
                    },
                    **values,
                )
            )
        )

    def _printed(self):
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        service.action_issue_receipt()
        return service

    def _scan(self, code):
        return self.env["hr.enforcement.service"].with_user(self.officer)._scan_receipt(code)

    def _last_scan(self):
        return self.env["hr.enforcement.receipt.scan"].search([], limit=1)

    def _return_values(self, **values):
        return dict(
            {
                "returned_on": date.today(),
                "return_signer_type": "recipient",
                "return_signer_name": "Zhou Fang",
                "return_signed": "signed",
            },
            **values,
        )
