from datetime import datetime, timedelta

from odoo.addons.hr_enforcement_record.tests.test_evidence import make_mp4
from odoo.addons.hr_enforcement_service.tests.common import ServiceCase

PDF = b"%PDF-1.4\n1 0 obj<</Type /Page>>endobj\ntrailer<<>>\n%%EOF\n"


class ArchiveCase(ServiceCase):
    """Ended cases ready for their case file; an archivist and cleared staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archivist = cls._make_user("archivist", "archivist", cls.department)
        # the officers' leader, who hears of missed deadlines
        cls.officer.employee_id.parent_id = cls.approver.employee_id
        cls.doc_other = cls.env.ref("hr_enforcement_record.document_type_other")
        # the bureau's archivist confirms the shipped schedule against its approved table
        cls.env["hr.enforcement.retention.rule"].search([("confirmed_on", "=", False)]).with_user(
            cls.archivist
        ).action_confirm()

    def _document(self, case, data=PDF, filename="document.pdf", **values):
        record = self._text(
            case, self.doc_other, certificate_ids=[], **dict({"name": "Notice"}, **values)
        )
        self._upload(record, data, filename)
        record.with_user(self.officer).action_seal()
        return record

    def _ended_case(self, data=PDF, filename="document.pdf"):
        """A decided case with one stored document, at the end of enforcement (R18.1)."""
        case, _decision = self._served_case()
        self._document(case, data, filename)
        self._end_enforcement(case)
        return case

    def _case_file(self, case):
        action = case.with_user(self.archivist).action_open_case_file()
        return (
            self.env["hr.enforcement.case.file"].with_user(self.archivist).browse(action["res_id"])
        )

    def _av_with_file(self, case, **values):
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        record = self._av(case, media_type="video", **values)
        self._upload(record, make_mp4(captured), "clip.mp4")
        return record

    def _decide(self, request, approve=True):
        """Run an access request through the approval chain as its serving officer
        (officer2) proposes it (R19.1, R21.1)."""
        action = request.with_user(self.officer2).action_request_decision()
        defaults = {k[8:]: v for k, v in action["context"].items() if k.startswith("default_")}
        approval = (
            self.env["hr.enforcement.approval"]
            .with_user(self.officer2)
            .create(dict(defaults, proposal="Let the party consult the records."))
        )
        approval.action_submit()
        approval.with_user(approval.reviewer_id)._transition("reviewed", review_opinion="Lawful.")
        approval.with_user(approval.approver_id)._transition(
            "approved" if approve else "rejected", approval_opinion="Decided."
        )
        return approval
