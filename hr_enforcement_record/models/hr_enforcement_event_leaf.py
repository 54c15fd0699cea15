from odoo import api, fields, models

from ..tools.chain_proof import leaf_hash


class HrEnforcementEventLeaf(models.Model):
    """One leaf of a daily chain head: where one case's event chain stood that day (its
    last sequence and hash). The leaves let a deleted last event or a rewritten tail be
    found and named by case, and an outsider recompute the head's Merkle root (R22.3)."""

    _name = "hr.enforcement.event.leaf"
    _description = "Event Chain Head Leaf"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _order = "head_id desc, case_id"

    head_id = fields.Many2one(
        "hr.enforcement.event.head", required=True, readonly=True, index=True, ondelete="restrict"
    )
    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, readonly=True, index=True, ondelete="restrict"
    )
    last_sequence = fields.Integer(required=True, readonly=True)
    last_hash = fields.Char(required=True, readonly=True)
    leaf_hash = fields.Char(required=True, readonly=True)

    @api.model
    def _leaf_hash(self, case_id, sequence, chain_hash):
        return leaf_hash(case_id, sequence, chain_hash)

    @api.depends("case_id.name", "last_sequence")
    def _compute_display_name(self):
        for leaf in self:
            # sudo: the case's number, for whoever may read the heads
            leaf.display_name = f"{leaf.case_id.sudo().name} #{leaf.last_sequence}"
