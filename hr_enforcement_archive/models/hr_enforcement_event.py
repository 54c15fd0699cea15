from odoo import api, fields, models
from odoo.tools import SQL

from .hr_enforcement_case import CONFIDENTIALITY

VERIFY_CRON = "hr_enforcement_record.ir_cron_verify_chains"
LEVELLED_MODELS = (
    "hr.enforcement.text.record",
    "hr.enforcement.av.record",
    "hr.enforcement.evidence.file",
)


class HrEnforcementEvent(models.Model):
    """Events carry the confidentiality of the record they name, so that the log of a
    confidential record is need-to-know like the record (R20.1). Kept current by the
    application (not part of the hash): set when logged, followed when a level changes."""

    _inherit = "hr.enforcement.event"

    confidentiality = fields.Selection(CONFIDENTIALITY, readonly=True, index=True)

    @api.model
    def _prepare_unhashed_values(self, record):
        values = super()._prepare_unhashed_values(record)
        level = (
            record.sudo().confidentiality if record and record._name in LEVELLED_MODELS else False
        )
        values["confidentiality"] = level or "internal"
        return values

    @api.model
    def _cron_verify_chains(self, batch_size=500):
        broken, remaining = super()._cron_verify_chains(batch_size)
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            VERIFY_CRON, done=len(broken), completed=not remaining, backlog=remaining
        )
        return broken, remaining

    @api.model
    def _sync_confidentiality(self, records):
        """Give the events of `records` (text or AV records) and of their files the
        records' current level."""
        self.env.flush_all()
        for record in records.sudo():
            # the record mixin does not require files of its models
            files = record.file_ids if "file_ids" in record._fields else ()
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE hr_enforcement_event SET confidentiality = %(level)s
                     WHERE (res_model = %(model)s AND res_id = %(id)s)
                        OR (res_model = 'hr.enforcement.evidence.file' AND res_id = ANY(%(files)s))
                    """,
                    level=record.confidentiality,
                    model=record._name,
                    id=record.id,
                    files=[file.id for file in files],
                )
            )
        self.invalidate_model(["confidentiality"])
