import hashlib

from odoo import api, fields, models
from odoo.tools import SQL

from .hr_enforcement_event_leaf import merkle_root


class HrEnforcementEventHead(models.Model):
    """The daily head of all event chains (R22.3): the Merkle root over where each case's
    chain stood that day (one leaf per case: case, last sequence, last hash), chained with
    the previous day's head. The leaves are kept, so that a deleted last event or a
    rewritten tail is found and named by case. Written by the daily scheduled action only;
    managers and supervisors read and export it."""

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
    merkle_root = fields.Char(readonly=True)
    leaf_ids = fields.One2many("hr.enforcement.event.leaf", "head_id", readonly=True)

    _sql_constraints = [("date_uniq", "unique(date)", "One chain head per day.")]

    @api.model
    def _current_leaves(self):
        """(case_id, last sequence, last hash) of every case's chain, now."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (case_id) case_id, sequence, hash FROM hr_enforcement_event "
                "ORDER BY case_id, sequence DESC"
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _chain_digest(self, previous, root):
        return hashlib.sha256(f"{previous or ''}:{root}".encode()).hexdigest()

    @api.model
    def _cron_record_head(self):
        """Idempotent: at most one head per day."""
        today = fields.Date.context_today(self)
        if self.search_count([("date", "=", today)]):
            return
        Leaf = self.env["hr.enforcement.event.leaf"]
        rows = self._current_leaves()
        leaves = [Leaf._leaf_hash(*row) for row in rows]
        root = merkle_root(leaves)
        previous = self.search([], limit=1).digest
        head = self._app().create(
            {
                "date": today,
                "merkle_root": root,
                "digest": self._chain_digest(previous, root),
                "previous_digest": previous,
                "case_count": len(rows),
            }
        )
        Leaf._app().create(
            [
                {
                    "head_id": head.id,
                    "case_id": case_id,
                    "last_sequence": sequence,
                    "last_hash": chain_hash,
                    "leaf_hash": leaf,
                }
                for (case_id, sequence, chain_hash), leaf in zip(rows, leaves, strict=True)
            ]
        )
        return head
