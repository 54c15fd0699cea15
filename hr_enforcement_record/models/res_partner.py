from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    """A party to an enforcement case: a person (resident ID) or an organisation (USCC).

    The identification number is readable by enforcement officers only (need-to-know,
    R20.1); everyone else sees it masked.
    """

    _inherit = "res.partner"

    enforcement_id_type = fields.Selection(
        [
            ("ric", "Resident Identity Card"),
            ("uscc", "Unified Social Credit Code"),
            ("passport", "Passport"),
            ("other", "Other"),
        ],
        string="ID Type",
    )
    enforcement_id_number = fields.Char(
        string="ID Number",
        groups="hr_enforcement_record.hr_enforcement_record_group_officer",
        copy=False,
    )
    enforcement_id_number_masked = fields.Char(
        string="ID Number (masked)",
        compute="_compute_enforcement_id_number_masked",
        compute_sudo=True,  # sudo: only the masked form leaves this method
    )

    @api.depends("enforcement_id_number")
    def _compute_enforcement_id_number_masked(self):
        for partner in self:
            number = partner.enforcement_id_number or ""
            if len(number) > 7:
                partner.enforcement_id_number_masked = (
                    number[:3] + "*" * (len(number) - 7) + number[-4:]
                )
            else:
                partner.enforcement_id_number_masked = "*" * len(number)

    @api.constrains("enforcement_id_type", "enforcement_id_number")
    def _check_enforcement_id_number(self):
        validators = {"ric": ric, "uscc": uscc}
        for partner in self.sudo():  # sudo: validation must see the number it validates
            module = validators.get(partner.enforcement_id_type)
            if not module or not partner.enforcement_id_number:
                continue
            try:
                module.validate(partner.enforcement_id_number)
            except StdnumError as error:
                raise ValidationError(
                    _(
                        "%(number)s is not a valid %(type)s: %(reason)s",
                        number=partner.enforcement_id_number,
                        type=dict(
                            partner._fields["enforcement_id_type"]._description_selection(self.env)
                        )[partner.enforcement_id_type],
                        reason=_("check digit or format is wrong")
                        if error.__class__.__name__ != "InvalidLength"
                        else _("wrong length"),
                    )
                ) from error
