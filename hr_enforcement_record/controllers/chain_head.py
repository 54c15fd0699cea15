import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request


class ChainHeadController(http.Controller):
    """Daily chain heads for outsiders (R22.3): a file for the verifier command, for
    whoever may read the heads (supervisors and managers), without Odoo's generic export
    right. (Their printout is a report in the heads' Print menu.)"""

    def _heads(self, ids):
        try:
            head_ids = [int(part) for part in (ids or "").split(",") if part]
        except ValueError:
            return None
        heads = request.env["hr.enforcement.event.head"].browse(head_ids).exists()
        try:
            heads.check_access("read")
        except AccessError:
            return None
        return heads if heads and len(heads) == len(set(head_ids)) else None

    @http.route("/hr_enforcement/heads/export", type="http", auth="user", methods=["GET"])
    def export(self, ids=None, **kwargs):
        heads = self._heads(ids)
        if heads is None:
            return request.not_found()
        payload = heads._export_payload()
        first, last = payload["heads"][0]["date"], payload["heads"][-1]["date"]
        return request.make_response(
            json.dumps(payload, ensure_ascii=False, indent=1),
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="chain-heads-{first}-{last}.json"'),
            ],
        )
