import hashlib

from odoo import api, fields, models
from odoo.tools import SQL


class HrEnforcementEventHead(models.Model):
    """The daily head of all event chains (R22.3): one digest over every case's last event
    hash and the previous day's head. Printed on reports and exported off-site, it lets an
    auditor prove that no chain was rewritten since that day. Written by the daily
    scheduled action only; managers and supervisors read and export it."""

    _name = "hr.enforcement.event.head"
    _description = "Daily Event Chain Head"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _guard_append_only = True
    _order = "date desc"

    date = fields.Date(required=True, readonly=True)
    digest = fields.Char(required=True, readonly=True)
    previous_digest = fields.Char(readonly=True)
    case_count = fields.Integer(readonly=True)

    _sql_constraints = [("date_uniq", "unique(date)", "One chain head per day.")]

    @api.model
    def _compute_digest(self, previous):
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (case_id) case_id, hash FROM hr_enforcement_event "
                "ORDER BY case_id, sequence DESC"
            )
        )
        rows = self.env.cr.fetchall()
        digest = hashlib.sha256((previous or "").encode())
        for case_id, chain_hash in rows:
            digest.update(f"{case_id}:{chain_hash};".encode())
        return digest.hexdigest(), len(rows)

    @api.model
    def _cron_record_head(self):
        """Idempotent: at most one head per day."""
        today = fields.Date.context_today(self)
        if self.search_count([("date", "=", today)]):
            return
        previous = self.search([], limit=1).digest
        digest, count = self._compute_digest(previous)
        self._app().create(
            {"date": today, "digest": digest, "previous_digest": previous, "case_count": count}
        )
