from odoo import api, models

from .hr_enforcement_case import LOCK_ALLOWED, check_not_archived


class HrEnforcementArchiveLock(models.AbstractModel):
    """What belongs to an archived case can only be consulted (R18.3, R22.3): nothing is
    added to it, changed or deleted, whatever the entry point. Models with a `case_id`
    inherit this; `_lock_allowed` names the fields the application still keeps current."""

    _name = "hr.enforcement.archive.lock"
    _description = "Locked Once the Case Is Archived"

    _lock_allowed = LOCK_ALLOWED

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        check_not_archived(records)
        return records

    def write(self, vals):
        check_not_archived(self, vals, self._lock_allowed)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_archived(self):
        check_not_archived(self)
