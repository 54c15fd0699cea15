from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrEnforcementHolidayYear(models.Model):
    """A year of the holiday calendar: the State Council's notice (国务院办公厅关于某年部分节假日
    安排的通知) with its days off and make-up working days, entered by managers in one form.

    A year without its notice is not covered: working days falling in it are counted with
    weekends only. Every deadline of the table of periods that falls in such a year is shown
    on its record, and a daily job asks the managers to enter the notice (R4.1 timeliness).
    """

    _name = "hr.enforcement.holiday.year"
    _description = "Holiday Calendar Year"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _guard_case_field = None
    _order = "year desc"
    _rec_name = "year"

    year = fields.Integer(required=True)
    notice = fields.Char(
        tracking=True,
        help="The State Council notice that sets the year's holidays, with its number.",
    )
    notice_date = fields.Date("Published On", tracking=True)
    period_ids = fields.One2many("hr.enforcement.holiday", "year_id", string="Periods")
    covered = fields.Boolean(compute="_compute_covered", store=True)

    _sql_constraints = [
        ("year_uniq", "unique(year)", "Each year of the holiday calendar is entered once."),
        ("year_range", "CHECK(year BETWEEN 2000 AND 2100)", "Enter a year between 2000 and 2100."),
    ]

    @api.depends("period_ids")
    def _compute_covered(self):
        for year in self:
            year.covered = bool(year.period_ids)

    @api.depends("year", "covered")
    def _compute_display_name(self):
        for year in self:
            year.display_name = (
                str(year.year)
                if year.covered
                else _("%(year)s (notice not entered)", year=year.year)
            )

    @api.constrains("period_ids", "notice")
    def _check_notice(self):
        for year in self.filtered("period_ids"):
            if not year.notice:
                raise ValidationError(
                    _("Give the number of the State Council notice for %(year)s.", year=year.year)
                )

    # ------------------------------------------------------------------ coverage
    @api.model
    def _deadline_models(self):
        """Models whose stored deadlines come from the table of periods, from the registry:
        each names them in `_period_deadline_fields`, so a model added later is covered."""
        return {
            name: fields_
            for name, model in self.env.registry.items()
            if (fields_ := getattr(model, "_period_deadline_fields", ())) and not model._abstract
        }

    @api.model
    def _pending_deadline_years(self):
        """{year: number of pending deadlines} of every deadline still ahead."""
        today = fields.Date.context_today(self)
        years = {}
        for model_name, field_names in self._deadline_models().items():
            Model = self.env[model_name].sudo()  # sudo: a count of dates, never shown
            for field_name in field_names:
                groups = Model._read_group(
                    [(field_name, ">=", today)], [f"{field_name}:year"], ["__count"]
                )
                for day, count in groups:
                    years[day.year] = years.get(day.year, 0) + count
        return years

    @api.model
    def _cron_warn_uncovered_years(self):
        """Ask the managers, once per year and until it is entered, for the State Council
        notice of a year in which pending deadlines fall. Idempotent."""
        pending = self._pending_deadline_years()
        uncovered = self.env["hr.enforcement.holiday"]._uncovered_years(
            [fields.Date.to_date(f"{year}-01-01") for year in pending]
        )
        if not uncovered:
            return []
        # sudo: the job keeps the calendar's own records; the year's activities say why
        Year = self.sudo().with_context(mail_create_nolog=True)
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_deadline")
        managers = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_manager").users
        for number in uncovered:
            year = Year.search([("year", "=", number)]) or Year.create({"year": number})
            waiting = year.activity_ids.filtered(lambda a: a.activity_type_id == kind).user_id
            for user in managers.filtered(lambda u: u.active and not u._is_superuser()) - waiting:
                local = year.with_context(lang=user.lang or self.env.lang)
                year.activity_schedule(
                    activity_type_id=kind.id,
                    summary=local.env._(
                        "Enter the State Council's holiday notice for %(year)s",
                        year=number,
                    ),
                    note=local.env._(
                        "%(count)s pending deadlines fall in %(year)s; until its notice is "
                        "entered they are counted with weekends only.",
                        count=pending[number],
                        year=number,
                    ),
                    user_id=user.id,
                )
        return uncovered
