import io

from odoo import http
from odoo.http import request

from odoo.addons.hr_enforcement_record.controllers.main import EvidenceController


class EvidenceAccessController(EvidenceController):
    @http.route()
    def download(self, file_id, purpose=None, inline=None, access_request=None, **kwargs):
        """The download route, under an access request when one is named (R19.1)."""
        if access_request:
            try:
                request.update_context(hr_enforcement_access_request_id=int(access_request))
            except ValueError:
                return request.not_found()
        return super().download(file_id, purpose=purpose, inline=inline, **kwargs)


class CaseFileController(http.Controller):
    @http.route(
        "/hr_enforcement/case_file/<int:case_file_id>/cover",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def cover(self, case_file_id, **kwargs):
        """Cover sheet and catalog of a case file as PDF, for whoever may read it."""
        case_file = request.env["hr.enforcement.case.file"].browse(case_file_id).exists()
        if not case_file:
            return request.not_found()
        case_file.check_access("read")
        stream = io.BytesIO()
        case_file._render_cover(stream)
        return request.make_response(
            stream.getvalue(),
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", f'inline; filename="case-file-{case_file.id}.pdf"'),
            ],
        )
