from odoo import _, models
from odoo.exceptions import UserError

from .hr_enforcement_case import CONFIDENTIAL_LEVELS, LOCK_ALLOWED


class HrEnforcementEvidenceFile(models.Model):
    _name = "hr.enforcement.evidence.file"
    _inherit = ["hr.enforcement.evidence.file", "hr.enforcement.archive.lock"]
    # the fixity job keeps verifying archived files
    _lock_allowed = LOCK_ALLOWED | {"fixity_state", "last_verified_at"}

    def _is_confidential_av(self):
        self.ensure_one()
        return self.sudo().av_record_id.confidentiality in CONFIDENTIAL_LEVELS

    def _get_download_path(self, purpose, inline=False):
        """R20.1, R19.1: a confidential AV file is opened by the people on its case, by
        anyone else only under an approved, unexpired access request that covers it; the
        purpose (or the request) is written into the evidence log."""
        self.ensure_one()
        request_id = self.env.context.get("hr_enforcement_access_request_id")
        if request_id:
            request = self.env["hr.enforcement.access.request"].browse(int(request_id)).exists()
            if not request:
                raise UserError(_("The access request does not exist."))
            request._check_covers(self)
            purpose = _(
                "Access request %(name)s: %(purpose)s", name=request.name, purpose=request.purpose
            )
        elif self._is_confidential_av():
            if self.env.user not in self.sudo().case_id.member_user_ids:
                raise UserError(
                    _(
                        "%(file)s is confidential: open it through an approved access request "
                        "(R19.1, R20.1).",
                        file=self.name,
                    )
                )
            purpose = purpose or _("Work on the case")
        return super()._get_download_path(purpose, inline=inline)

    def _with_access_request(self, action):
        request_id = self.env.context.get("hr_enforcement_access_request_id")
        if request_id:
            action["url"] += ("&" if "?" in action["url"] else "?") + f"access_request={request_id}"
        return action

    def action_view_file(self):
        return self._with_access_request(super().action_view_file())

    def action_download_file(self):
        return self._with_access_request(super().action_download_file())
