import logging
import os

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.hr_enforcement_record.tools import object_store

from .hr_enforcement_case import CONFIDENTIAL_LEVELS, CONFIDENTIALITY

_logger = logging.getLogger(__name__)

FIXITY_CRON = "hr_enforcement_record.ir_cron_verify_fixity"
SAMPLE_CRON = "hr_enforcement_record.ir_cron_verify_fixity_sample"


class HrEnforcementEvidenceFile(models.Model):
    _inherit = "hr.enforcement.evidence.file"

    fixity_state = fields.Selection(
        selection_add=[("disposed", "Disposed of")], ondelete={"disposed": "set default"}
    )

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

    @api.model_create_multi
    def create(self, vals_list):
        # every way a file reaches a record, not only the upload routes (R20.1)
        for vals in vals_list:
            for field in ("text_record_id", "av_record_id"):
                if vals.get(field):
                    self.env[self._fields[field].comodel_name].sudo().browse(
                        vals[field]
                    )._check_no_state_secret()
        return super().create(vals_list)

    def _dispose(self):
        """Mark these files disposed of and remove their stored bytes after commit, unless
        a file not disposed of shares them (the store keeps identical bytes once)."""
        files = self.sudo()
        files._app().write({"fixity_state": "disposed", "last_verified_at": fields.Datetime.now()})
        names = set(files.mapped("store_fname"))
        kept = set(
            self.sudo()
            .search([("store_fname", "in", list(names)), ("fixity_state", "!=", "disposed")])
            .mapped("store_fname")
        )
        gone = sorted(names - kept)
        local = [
            self.env["hr.enforcement.filestore"]._full_path(name)
            for name in gone
            if not object_store.is_stored_there(name)
        ]
        stored = [name for name in gone if object_store.is_stored_there(name)]
        store = self.env["hr.enforcement.object.store"]._get() if stored else None

        @self.env.cr.postcommit.add
        def remove_bytes():
            for path in local:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    _logger.info("Disposed evidence bytes %s were gone already", path)
                except OSError:
                    _logger.exception("Disposed evidence bytes %s not removed", path)
            for name in stored:
                # the store deletes a version only once its retention ended (R18.3)
                try:
                    store.delete_version(*object_store.parse(name))
                except (OSError, AttributeError):
                    _logger.exception("Disposed evidence object %s not removed", name)

    @api.model
    def _retain_for(self, case_files):
        """Object Lock follows the archive (R18.3, R22.4; 档案法 第二十一条): the stored
        versions of an archived file's evidence are kept until its disposal is due
        (permanently for a permanent file, only ever longer), and held while its disposal
        hold is set. A version the store refuses is named and nothing is recorded."""
        locks = self.env["hr.enforcement.object.store"]
        if locks._get() is None:
            return
        for case_file in case_files.filtered(lambda f: f.state == "archived"):
            files = self.sudo().search(
                [("case_id", "=", case_file.case_id.id), ("fixity_state", "!=", "disposed")]
            )
            names = {
                name for name in files.mapped("store_fname") if object_store.is_stored_there(name)
            }
            failures = locks._retain(
                sorted(names), case_file.disposal_due or None, case_file.disposal_hold
            )
            if failures:
                by_name = {f.store_fname: f.name for f in files}
                raise UserError(
                    _(
                        "The object store did not keep the files of %(file)s as the archive "
                        "requires: %(failures)s",
                        file=case_file.display_name,
                        failures="; ".join(
                            f"{by_name[name]}: {error}" for name, error in failures.items()
                        ),
                    )
                )

    def _verify(self):
        # a disposed file has no bytes to check: its turn moves on without hashing
        disposed = self.sudo().filtered(lambda f: f.fixity_state == "disposed")
        disposed._app().write({"last_verified_at": fields.Datetime.now()})
        return super(HrEnforcementEvidenceFile, self - disposed)._verify()

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

    def _get_download_location(self, purpose, inline=False, origin=None, forensic=False):
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
        return super()._get_download_location(
            purpose, inline=inline, origin=origin, forensic=forensic
        )

    def _with_access_request(self, action):
        request_id = self.env.context.get("hr_enforcement_access_request_id")
        if request_id:
            action["url"] += ("&" if "?" in action["url"] else "?") + f"access_request={request_id}"
        return action

    def action_view_file(self):
        return self._with_access_request(super().action_view_file())

    def action_download_file(self):
        return self._with_access_request(super().action_download_file())
