from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .hr_enforcement_case import CONFIDENTIAL_LEVELS, CONFIDENTIALITY

FIXITY_CRON = "hr_enforcement_record.ir_cron_verify_fixity"
SAMPLE_CRON = "hr_enforcement_record.ir_cron_verify_fixity_sample"


class HrEnforcementEvidenceFile(models.Model):
    _inherit = "hr.enforcement.evidence.file"

    confidentiality = fields.Selection(
        CONFIDENTIALITY,
        compute="_compute_confidentiality",
        store=True,
        index=True,
        help="The level of the record the file belongs to (R20.1).",
    )

    @api.depends("text_record_id.confidentiality", "av_record_id.confidentiality")
    def _compute_confidentiality(self):
        for evidence in self:
            record = evidence.text_record_id or evidence.av_record_id
            evidence.confidentiality = record.confidentiality or "internal"

    @api.model
    def _cron_verify_fixity(self, batch_size=50):
        done, remaining = super()._cron_verify_fixity(batch_size)
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            FIXITY_CRON, done=done, completed=not remaining, backlog=remaining
        )
        return done, remaining

    @api.model
    def _cron_verify_sample(self):
        sample = super()._cron_verify_sample()
        self.env["hr.enforcement.cron.heartbeat"]._beat(
            SAMPLE_CRON, done=len(sample), completed=True
        )
        return sample

    @api.model
    def _get_for_download(self, file_id, params):
        """Under an access request (`access_request` in the query) the file is opened by the
        officer who serves the request, even where need-to-know hides it otherwise; the
        request's coverage is checked when the path is asked for."""
        request_id = params.get("access_request")
        if not (request_id and str(request_id).isdigit()):
            return super()._get_for_download(file_id, params)
        request = self.env["hr.enforcement.access.request"].search([("id", "=", int(request_id))])
        if not request:
            return self.browse()
        # sudo: the approved request is the authority; _check_covers() runs before serving
        evidence = self.sudo().browse(file_id).exists()
        return evidence.with_context(hr_enforcement_access_request_id=request.id)

    def _get_download_path(self, purpose, inline=False, origin=None, forensic=False):
        """R20.1, R19.1: a confidential file is opened by the people on its case, by anyone
        else only under an approved, unexpired access request that covers it; the request
        is linked to the logged event by its id."""
        self.ensure_one()
        request_id = self.env.context.get("hr_enforcement_access_request_id")
        if request_id:
            request = self.env["hr.enforcement.access.request"].browse(int(request_id)).exists()
            if not request:
                raise UserError(_("The access request does not exist."))
            request._check_covers(self)
            origin = request
            purpose = _(
                "Access request %(name)s: %(purpose)s", name=request.name, purpose=request.purpose
            )
        elif self.sudo().confidentiality in CONFIDENTIAL_LEVELS:
            if self.env.user not in self.sudo().case_id.member_user_ids:
                raise UserError(
                    _(
                        "%(file)s is confidential: open it through an approved access request "
                        "(R19.1, R20.1).",
                        file=self.name,
                    )
                )
            purpose = purpose or _("Work on the case")
        return super()._get_download_path(purpose, inline=inline, origin=origin, forensic=forensic)

    def _with_access_request(self, action):
        request_id = self.env.context.get("hr_enforcement_access_request_id")
        if request_id:
            action["url"] += ("&" if "?" in action["url"] else "?") + f"access_request={request_id}"
        return action

    def action_view_file(self):
        return self._with_access_request(super().action_view_file())

    def action_download_file(self):
        return self._with_access_request(super().action_download_file())
