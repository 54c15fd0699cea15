import functools

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

MANAGER_GROUP = "hr_enforcement_record.hr_enforcement_record_group_manager"


class ResPartner(models.Model):
    """A party to an enforcement case: a person (resident ID) or an organisation (USCC).

    The identification number is need-to-know (R20.1): the people on a case of the party,
    the officer who registered the party and the managers read it in full; everyone else,
    officers of other departments and archivists included, sees it masked and can neither
    search, sort nor group by it (only an exact number finds a party).
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
        groups="base.group_user",  # staff only: never on portal or public pages
    )
    enforcement_legal_representative = fields.Char(
        "Legal Representative",
        groups="base.group_user",
        help="法定代表人或者主要负责人 of an organisation that is a party: printed in the party "
        "block of its documents.",
    )
    enforcement_id_number = fields.Char(
        string="Stored ID Number", groups="base.group_system", copy=False
    )
    enforcement_id_number_known = fields.Char(
        string="ID Number",
        compute="_compute_enforcement_id_number_known",
        inverse="_inverse_enforcement_id_number_known",
        search="_search_enforcement_id_number_known",
        groups="hr_enforcement_record.hr_enforcement_record_group_officer",
        help="Shown in full to the people who need to know it (R20.1), masked to others.",
    )
    enforcement_id_number_masked = fields.Char(
        string="ID Number (masked)",
        compute="_compute_enforcement_id_number_masked",
        compute_sudo=True,  # sudo: only the masked form leaves this method
        groups="base.group_user",
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

    def _enforcement_may_know(self):
        """The partners of `self` whose number the current user needs to know."""
        if self.env.su or self.env.user.has_group(
            "hr_enforcement_record.hr_enforcement_record_group_manager"
        ):
            return self
        Case = self.env["hr.enforcement.case"].sudo()  # sudo: who is on which case
        on_cases = Case.search(
            [
                "|",
                ("partner_id", "in", self.ids),
                ("complainant_id", "in", self.ids),
                ("member_user_ids", "in", self.env.uid),
            ]
        )
        return self.filtered(
            lambda p: (
                p in (on_cases.partner_id | on_cases.complainant_id)
                or p.sudo().create_uid == self.env.user
            )
        )

    @api.depends("enforcement_id_number")
    @api.depends_context("uid")
    def _compute_enforcement_id_number_known(self):
        known = self._enforcement_may_know()
        for partner in self:
            partner.enforcement_id_number_known = (
                partner.sudo().enforcement_id_number  # sudo: shown only to `known`
                if partner in known
                else partner.enforcement_id_number_masked
            )

    def _inverse_enforcement_id_number_known(self):
        known = self._enforcement_may_know()
        for partner in self:
            stored = partner.sudo().enforcement_id_number
            if stored and partner not in known:
                raise AccessError(
                    _(
                        "You may not change the ID number of %(party)s: it is shown only to "
                        "the people on its cases (R20.1).",
                        party=partner.display_name,
                    )
                )
            # sudo: the stored number is kept from everyone's direct reads
            partner.sudo().enforcement_id_number = partner.enforcement_id_number_known or False

    def _search_enforcement_id_number_known(self, operator, value):
        if operator != "=" or not value:
            raise UserError(_("Find a party by its complete ID number only (R20.1)."))
        # sudo: an exact number finds its party, nothing else is revealed
        return [("id", "in", self.sudo().search([("enforcement_id_number", "=", value)]).ids)]

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

    # ------------------------------------------------------------------ need-to-know
    # R20.1; 劳动保障监察条例 第九条第三款 (应当为举报人保密): a complainant's contact is
    # found and read only by the people on the complainant's cases and by the managers; a
    # party's contact stays within the companies of its cases (and with the people on them).
    # In code rather than an ir.rule: a rule on res.partner naming this addon's fields would
    # break every partial load of the registry (a module upgrade loads base alone first).

    @api.model
    @tools.ormcache()
    def _enforcement_contact_ids(self):
        """The contacts named by a case (as complainant or party): every other contact
        costs the checks below nothing. Cleared when a case names a contact."""
        self.env["hr.enforcement.case"].flush_model(["complainant_id", "partner_id"])
        self.env.cr.execute(
            "SELECT complainant_id FROM hr_enforcement_case WHERE complainant_id IS NOT NULL "
            "UNION SELECT partner_id FROM hr_enforcement_case WHERE partner_id IS NOT NULL"
        )
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _enforcement_visibility_domain(self):
        """The contacts of cases the current user may see, or None when they see all."""
        if self.env.su or not self._enforcement_contact_ids():
            return None
        if self.env.user.has_group(MANAGER_GROUP):
            return None
        Case = self.env["hr.enforcement.case"].sudo().with_context(active_test=False)
        uid = self.env.uid
        complainants = Case._search([("complainant_id", "!=", False)])
        mine = Case._search([("complainant_id", "!=", False), ("member_user_ids", "in", [uid])])
        parties = Case._search([("partner_id", "!=", False)])
        near = Case._search(
            [
                ("partner_id", "!=", False),
                "|",
                ("company_id", "in", list(self.env.user._get_company_ids())),  # cached
                ("member_user_ids", "in", [uid]),
            ]
        )
        return [
            "&",
            "|",
            ("id", "not in", complainants.subselect("complainant_id")),
            ("id", "in", mine.subselect("complainant_id")),
            "|",
            ("id", "not in", parties.subselect("partner_id")),
            ("id", "in", near.subselect("partner_id")),
        ]

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        visible = self._enforcement_visibility_domain()
        if visible:
            domain = expression.AND([domain or [], visible])
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self:
            return result
        contacts = self._enforcement_contact_ids()
        named = [pid for pid in self._ids if pid in contacts]
        if not named or self.env.user.has_group(MANAGER_GROUP):
            return None
        forbidden = self.browse(named) - self.browse(self._search([("id", "in", named)]))
        if not forbidden:
            return None
        Rule = self.env["ir.rule"]
        return forbidden, functools.partial(Rule._make_access_error, operation, forbidden)

    def _enforcement_party_lines(self):
        """The party block of a statutory document (行政处罚法 第五十九条: 当事人的姓名或者名称、
        地址): the name once, then the identification by party kind, the legal representative
        of an organisation and the address. Read with sudo by the issuing code: the party is
        told its own number in full."""
        self.ensure_one()
        partner = self.sudo()
        organisation = partner.is_company or partner.enforcement_id_type == "uscc"
        id_label = {
            "uscc": _("Unified social credit code"),
            "ric": _("Resident identity card No."),
            "passport": _("Passport No."),
        }.get(partner.enforcement_id_type, _("ID No."))
        number = partner.enforcement_id_number or (partner.vat if organisation else "")
        address = "".join(
            filter(
                None,
                [
                    partner.state_id.name,
                    partner.city,
                    partner.street,
                    partner.street2,
                ],
            )
        )
        lines = [partner.name]
        if number:
            lines.append(f"{id_label}：{number}")
        if organisation:
            lines.append(
                _("Legal representative: %(name)s", name=partner.enforcement_legal_representative)
                if partner.enforcement_legal_representative
                else _("Legal representative: (not recorded)")
            )
        lines.append(
            (_("Domicile: %(address)s") if organisation else _("Address: %(address)s"))
            % {"address": address or _("(not recorded)")}
        )
        return lines
