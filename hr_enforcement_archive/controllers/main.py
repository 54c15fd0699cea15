import io

from odoo import http
from odoo.http import request


class CaseFileController(http.Controller):
    @http.route(
        "/hr_enforcement/case_file/<int:case_file_id>/cover",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def cover(self, case_file_id, **kwargs):
        """Cover sheet and catalog of a case file as PDF, for whoever may read it."""
        # unknown and unreadable answer alike (R20.1)
        case_file = request.env["hr.enforcement.case.file"].search([("id", "=", case_file_id)])
        if not case_file:
            return request.not_found()
        stream = io.BytesIO()
        case_file._render_cover(stream)
        return request.make_response(
            stream.getvalue(),
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", f'inline; filename="case-file-{case_file.id}.pdf"'),
            ],
        )
