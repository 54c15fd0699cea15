import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

from .hr_enforcement_approval_mixin import SYSTEM_WRITE

GENESIS = "0" * 64


class HrEnforcementEvent(models.Model):
    """Append-only, hash-chained log of the legally relevant events of a case
    (R21.1, R22.2, R22.3).

    Each event stores who, when, from where and why, and the SHA-256 of its own content
    chained to the previous event of the same case, so that a row rewritten in the database
    breaks the chain at that point. Nobody writes or deletes events, administrators
    included; everyone who reads the case reads its log.
    """

    _name = "hr.enforcement.event"
    _description = "Enforcement Event Log"
    _order = "case_id, sequence"
    _log_access = False  # the hashed timestamp and author below are the only truth

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    sequence = fields.Integer(required=True, readonly=True)
    event_type = fields.Selection(
        [
            ("created", "Created"),
            ("sealed", "Sealed"),
            ("approved", "Approved"),
            ("file_added", "File added"),
            ("viewed", "Viewed"),
            ("downloaded", "Downloaded"),
            ("exported", "Exported"),
            ("verified", "Verification"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char("Record Model", readonly=True)
    res_id = fields.Integer("Record ID", readonly=True)
    description = fields.Char(readonly=True)
    purpose = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", "By", required=True, readonly=True)
    timestamp = fields.Datetime(required=True, readonly=True)
    remote_addr = fields.Char("From", readonly=True)
    prev_hash = fields.Char(readonly=True)
    hash = fields.Char(readonly=True, index=True)

    _sql_constraints = [
        (
            "case_sequence_uniq",
            "unique(case_id, sequence)",
            "An event number is used once per case.",
        )
    ]

    @api.model
    def _log(self, case, event_type, record=None, description="", purpose=""):
        """Append one event to `case`'s chain. Serialised per case by a row lock."""
        case.ensure_one()
        self.env.cr.execute(
            SQL("SELECT id FROM hr_enforcement_case WHERE id = %s FOR UPDATE", case.id)
        )
        self.env.cr.execute(
            SQL(
                "SELECT sequence, hash FROM hr_enforcement_event WHERE case_id = %s "
                "ORDER BY sequence DESC LIMIT 1",
                case.id,
            )
        )
        last = self.env.cr.fetchone() or (0, GENESIS)
        vals = {
            "case_id": case.id,
            "sequence": last[0] + 1,
            "event_type": event_type,
            "res_model": record._name if record else False,
            "res_id": record.id if record else 0,
            "description": description or "",
            "purpose": purpose or "",
            "user_id": self.env.uid,
            "timestamp": fields.Datetime.now(),
            "remote_addr": request.httprequest.remote_addr if request else False,
            "prev_hash": last[1],
        }
        vals["hash"] = self._compute_chain_hash(vals)
        # sudo: every user who may act on a case leaves a trace, even without log rights
        event = self.sudo().with_context(hr_enforcement_system=SYSTEM_WRITE).create(vals)
        return self.browse(event.id)

    @api.model
    def _compute_chain_hash(self, vals):
        payload = {
            key: vals.get(key) or ""
            for key in (
                "case_id",
                "sequence",
                "event_type",
                "res_model",
                "res_id",
                "description",
                "purpose",
                "user_id",
                "remote_addr",
                "prev_hash",
            )
        }
        payload["timestamp"] = fields.Datetime.to_string(vals["timestamp"])
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("hr_enforcement_system") is not SYSTEM_WRITE:
            raise UserError(_("Events are appended by the application only (R22.3)."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(_("The event log is append-only (R22.3)."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The event log is append-only (R22.3)."))

    @api.model
    def _verify_chain(self, case):
        """Recompute `case`'s chain straight from the database; return the first event
        whose content or link no longer matches (an empty recordset when intact)."""
        self.env.cr.execute(
            SQL(
                "SELECT id, case_id, sequence, event_type, res_model, res_id, description, "
                "purpose, user_id, timestamp, remote_addr, prev_hash, hash "
                "FROM hr_enforcement_event WHERE case_id = %s ORDER BY sequence",
                case.id,
            )
        )
        expected_prev, expected_seq = GENESIS, 1
        for row in self.env.cr.dictfetchall():
            broken = (
                row["sequence"] != expected_seq
                or row["prev_hash"] != expected_prev
                or self._compute_chain_hash(row) != row["hash"]
            )
            if broken:
                return self.browse(row["id"])
            expected_prev, expected_seq = row["hash"], expected_seq + 1
        return self.browse()

    @api.model
    def _get_chain_head(self, case):
        last = self.search([("case_id", "=", case.id)], order="sequence desc", limit=1)
        return last.hash or GENESIS
