from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# the types of case that are labour inspection (劳动保障监察条例 第十一条、第十八条)
LABOUR_INSPECTION_TYPES = ("penalty", "inspection")


class HrEnforcementCertificate(models.Model):
    """An administrative enforcement certificate (执法证) held by an employee (R8.1).

    Managers issue and revoke certificates; officers read them. A certificate that is
    expired, not yet valid or revoked can't be put on any record.
    """

    _name = "hr.enforcement.certificate"
    _description = "Enforcement Certificate"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_case_field = None
    _order = "date_to desc, id desc"
    _rec_names_search = ["number", "employee_id.name"]

    number = fields.Char(required=True, tracking=True, index=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="restrict", tracking=True, index=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    issuing_authority = fields.Char(required=True, tracking=True)
    enforcement_field = fields.Selection(
        [
            ("labour_inspection", "Labour inspection certificate"),
            ("administrative", "Administrative enforcement certificate"),
        ],
        "Kind of Certificate",
        required=True,
        default="labour_inspection",
        tracking=True,
        help="Labour inspection is done with the labour inspection certificate "
        "(劳动保障监察条例 art. 16); other enforcement with an administrative one.",
    )
    date_from = fields.Date("Valid From", required=True, tracking=True)
    date_to = fields.Date("Valid To", required=True, tracking=True)
    revoked = fields.Boolean(tracking=True, readonly=True, copy=False)
    revoke_date = fields.Date(readonly=True, copy=False)
    revoke_reason = fields.Text(copy=False, tracking=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("future", "Not yet valid"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
        search="_search_state",
    )

    _sql_constraints = [
        (
            "number_company_uniq",
            "unique(number, company_id)",
            "A certificate number must be unique per company.",
        ),
    ]

    @api.depends("date_from", "date_to", "revoked")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for cert in self:
            cert.state = cert._get_state_on(today)

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, str):
            raise ValidationError(_("Unsupported search on the certificate state."))
        today = fields.Date.context_today(self)
        domains = {
            "revoked": [("revoked", "=", True)],
            "future": [("revoked", "=", False), ("date_from", ">", today)],
            "expired": [("revoked", "=", False), ("date_to", "<", today)],
            "valid": [
                ("revoked", "=", False),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
        }
        ids = self._search(domains[value])
        return [("id", "in" if operator == "=" else "not in", ids)]

    @api.depends("number", "employee_id")
    def _compute_display_name(self):
        for cert in self:
            cert.display_name = f"{cert.number} ({cert.employee_id.name or ''})"

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for cert in self:
            if cert.date_to < cert.date_from:
                raise ValidationError(
                    _("Certificate %(number)s expires before it is valid.", number=cert.number)
                )

    def _get_state_on(self, day):
        self.ensure_one()
        if self.revoked and (not self.revoke_date or self.revoke_date <= day):
            return "revoked"
        if day < self.date_from:
            return "future"
        if day > self.date_to:
            return "expired"
        return "valid"

    def _get_valid_on(self, day):
        """The certificates of this set that are valid on `day` (R8.1)."""
        return self.filtered(lambda cert: cert._get_state_on(day) == "valid")

    def _check_valid_on(self, day, employee=None):
        """Raise unless each certificate is valid on `day` and held by `employee` (R8.1)."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for cert in self:
            state = cert._get_state_on(day)
            if state != "valid":
                raise ValidationError(
                    _(
                        "Enforcement certificate %(number)s of %(officer)s is %(state)s on "
                        "%(date)s and cannot be used on a record (R8.1).",
                        number=cert.number,
                        officer=cert.employee_id.name,
                        state=labels[state].lower(),
                        date=day,
                    )
                )
            if employee is not None and cert.employee_id != employee:
                raise ValidationError(
                    _(
                        "Certificate %(number)s belongs to %(holder)s, not to %(officer)s (R8.1).",
                        number=cert.number,
                        holder=cert.employee_id.name,
                        officer=employee.name,
                    )
                )

    def _check_field_for(self, case):
        """R8.1, 劳动保障监察条例 第十六条: penalty and inspection cases of the bureau are
        labour inspection, done with the labour inspection certificate."""
        if case.enforcement_type not in LABOUR_INSPECTION_TYPES:
            return
        for cert in self.filtered(lambda c: c.enforcement_field != "labour_inspection"):
            raise ValidationError(
                _(
                    "Certificate %(number)s of %(officer)s is not a labour inspection "
                    "certificate: it cannot be used on %(case)s (R8.1; 劳动保障监察条例 art. 16).",
                    number=cert.number,
                    officer=cert.employee_id.name,
                    case=case.name,
                )
            )

    def action_revoke(self):
        """Revoke from today on; the reason must be written first."""
        for cert in self:
            if not cert.revoke_reason:
                raise ValidationError(
                    _(
                        "Write the reason before revoking certificate %(number)s.",
                        number=cert.number,
                    )
                )
        self._app().write({"revoked": True, "revoke_date": fields.Date.context_today(self)})
