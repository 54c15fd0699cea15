from odoo import _, api, fields, models

RECEIVING_ARCHIVE = "hr_enforcement.receiving_archive"


class HrEnforcementCaseFileTransferWizard(models.TransientModel):
    """Hand an archived case file over to an archive (移交; 档案法 第十四条、第十五条)."""

    _name = "hr.enforcement.case.file.transfer.wizard"
    _description = "Transfer a Case File to an Archive"

    case_file_id = fields.Many2one("hr.enforcement.case.file", required=True)
    receiving_archive = fields.Char(
        required=True,
        default=lambda self: self._default_receiving_archive(),
        help="The bureau's archive room, or the archive the file is handed to.",
    )

    @api.model
    def _default_receiving_archive(self):
        configured = self.env["ir.config_parameter"].sudo().get_param(RECEIVING_ARCHIVE)
        return configured or _("Archive room of %s", self.env.company.name)

    def action_transfer(self):
        self.ensure_one()
        transfer, failures = self.env["hr.enforcement.case.file.transfer"]._transfer(
            self.case_file_id, self.receiving_archive
        )
        if failures:
            # a notification, not an error: what the checks found (a damaged file's state,
            # its alert to the people accountable) is kept
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": _("The case file is not transferred while checks fail"),
                    "message": "\n".join(failures),
                    "type": "danger",
                    "sticky": True,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": transfer._name,
            "res_id": transfer.id,
            "view_mode": "form",
            "target": "current",
        }
