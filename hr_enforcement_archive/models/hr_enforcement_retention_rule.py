from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_case import case_selection

RETENTION = [("permanent", "Permanent"), ("30y", "30 years"), ("10y", "10 years")]
RETENTION_RANK = {"10y": 1, "30y": 2, "permanent": 3}
# what the schedule's scope and period decide: changing one asks for a new confirmation
DECIDING_FIELDS = frozenset({"enforcement_type", "document_type_id", "retention", "active"})


class HrEnforcementRetentionRule(models.Model):
    """One line of the bureau's retention schedule (保管期限表), as its archivist keeps it
    from the table the archives administration approved (档案法 第二十一条; 国家档案局令第8号
    《机关文件材料归档范围和文书档案保管期限规定》第十二条: each organ draws up its own table,
    applied once the archives administration agreed). A line gives the period of a category
    of case file (a type of case) or of a document type; in a case file the longest period
    that applies wins (R18.3). The shipped lines are a default that applies only once the
    archivist confirmed it; every change is logged and asks for confirmation again."""

    _name = "hr.enforcement.retention.rule"
    _description = "Retention Schedule Line"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_case_field = None
    _guard_rule_ref = "R18.3"
    _order = "sequence, id"

    name = fields.Char("Category", required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    enforcement_type = fields.Selection(
        case_selection("enforcement_type"),
        "Case Files of Type",
        tracking=True,
        help="The line applies to every case file of this type of case.",
    )
    document_type_id = fields.Many2one(
        "hr.enforcement.document.type",
        tracking=True,
        help="The line applies to a case file holding a document of this type (of any type "
        "of case unless one is named).",
    )
    retention = fields.Selection(RETENTION, required=True, tracking=True)
    schedule_reference = fields.Char(
        "Item in the Approved Table",
        tracking=True,
        help="The item of the retention table the archives administration approved.",
    )
    confirmed_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    confirmed_on = fields.Date(readonly=True, copy=False, tracking=True)

    _sql_constraints = [
        (
            "scope_uniq",
            "unique(company_id, enforcement_type, document_type_id)",
            "The schedule has one line per category.",
        ),
        (
            "scope_set",
            "CHECK(enforcement_type IS NOT NULL OR document_type_id IS NOT NULL)",
            "A schedule line names a type of case, a document type or both.",
        ),
    ]

    def write(self, vals):
        deciding = DECIDING_FIELDS & set(vals)
        result = super().write(vals)
        if deciding:
            # sudo: a changed line is unconfirmed by the application, whoever changed it
            self.sudo()._app().write({"confirmed_by": False, "confirmed_on": False})
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            _("A line of the retention schedule is archived, never deleted: its history stays.")
        )

    def action_confirm(self):
        """The archivist confirms the lines as the approved table has them (R18.3)."""
        if not self.env.user.has_group(
            "hr_enforcement_record.hr_enforcement_record_group_archivist"
        ):
            raise UserError(_("Only an archivist confirms the retention schedule (R18.3)."))
        self.sudo()._app().write(
            {"confirmed_by": self.env.uid, "confirmed_on": fields.Date.context_today(self)}
        )
        return True

    @api.model
    def _lines_for(self, case, document_types):
        """The active lines that apply to the case file of `case` holding `document_types`."""
        return self.sudo().search(  # sudo: configuration read by whoever assembles
            [
                ("company_id", "in", (case.company_id or self.env.company).ids),
                "|",
                "&",
                ("enforcement_type", "=", case.enforcement_type),
                ("document_type_id", "=", False),
                "&",
                ("document_type_id", "in", document_types.ids),
                "|",
                ("enforcement_type", "=", False),
                ("enforcement_type", "=", case.enforcement_type),
            ]
        )

    @api.model
    def _retention_of(self, lines):
        """The longest period of `lines`; permanent when none applies, so that nothing is
        disposed of for want of a line (the archive check names the gap)."""
        periods = lines.mapped("retention")
        return max(periods, key=RETENTION_RANK.get) if periods else "permanent"
