from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..periods import CALENDAR, MONTHS, PERIODS, WORKING


class HrEnforcementHoliday(models.Model):
    """Public-holiday calendar of the State Council and the deadline engine built on it.

    A period is either days off (法定节假日 with their bridging days) or make-up working days
    (调休上班) that fall on a weekend. Each period cites the notice it comes from. Managers
    maintain the calendar (add later years in the form or by import); everyone reads it.
    """

    _name = "hr.enforcement.holiday"
    _description = "Public Holiday Period"
    _inherit = ["hr.enforcement.guard"]
    _guard_case_field = None
    _order = "date_from"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [("holiday", "Days off"), ("workday", "Make-up working day")],
        required=True,
        default="holiday",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    year = fields.Integer(compute="_compute_year", store=True, precompute=True)
    year_id = fields.Many2one(
        "hr.enforcement.holiday.year",
        "Year's Notice",
        compute="_compute_year_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        ondelete="restrict",
    )
    notice = fields.Char(
        compute="_compute_notice",
        store=True,
        precompute=True,
        readonly=False,
        help="The State Council notice that sets this period, e.g. 国办发明电〔2024〕12号.",
        required=True,
    )

    @api.depends("date_from")
    def _compute_year(self):
        for period in self:
            period.year = period.date_from.year if period.date_from else 0

    @api.depends("year_id.notice")
    def _compute_notice(self):
        for period in self:
            period.notice = period.notice or period.year_id.notice

    @api.depends("year")
    def _compute_year_id(self):
        years = self.env["hr.enforcement.holiday.year"].search(
            [("year", "in", self.mapped("year"))]
        )
        by_year = {year.year: year for year in years}
        for period in self:
            period.year_id = by_year.get(period.year, period.year_id)

    @api.constrains("date_from", "date_to", "kind")
    def _check_dates(self):
        for period in self:
            if period.date_to < period.date_from:
                raise ValidationError(
                    _("The period %(name)s ends before it starts.", name=period.name)
                )
            overlap = self.search_count(
                [
                    ("id", "!=", period.id),
                    ("date_from", "<=", period.date_to),
                    ("date_to", ">=", period.date_from),
                ]
            )
            if overlap:
                raise ValidationError(
                    _(
                        "The period %(name)s overlaps another holiday period.",
                        name=period.name,
                    )
                )

    @api.constrains("year_id", "date_from", "date_to")
    def _check_year(self):
        for period in self.filtered("year_id"):
            if period.year_id.year not in (period.date_from.year, period.date_to.year):
                raise ValidationError(
                    _(
                        "The period %(name)s does not fall in %(year)s.",
                        name=period.name,
                        year=period.year_id.year,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        periods = super().create(vals_list)
        if periods:
            self._refresh_deadlines(min(periods.mapped("date_from")))
        # the year is entered: the managers' reminders to enter it are done
        periods.year_id.sudo().activity_feedback(
            ["hr_enforcement_record.mail_activity_type_deadline"], feedback=_("Notice entered.")
        )
        return periods

    def write(self, vals):
        # the days the periods covered before and after the change may both move deadlines
        before = min(self.mapped("date_from"), default=None)
        result = super().write(vals)
        if self:
            self._refresh_deadlines(min(before, *self.mapped("date_from")))
        return result

    def unlink(self):
        since = min(self.mapped("date_from"), default=None)
        result = super().unlink()
        if since:
            self._refresh_deadlines(since)
        return result

    @api.model
    def _refresh_deadlines(self, since):
        """Recompute, on the calendar as it now is, the pending deadlines that a changed
        period may move: every deadline of the table of periods still ahead and on or after
        `since`, the first day the change touched."""
        first = max(since, fields.Date.context_today(self))
        Year = self.env["hr.enforcement.holiday.year"]
        for model_name, field_names in Year._deadline_models().items():
            Model = self.env[model_name].sudo()  # sudo: deadlines follow the calendar
            domain = ["|"] * (len(field_names) - 1) + [(f, ">=", first) for f in field_names]
            records = Model.search(domain)
            if not records:
                continue
            for field_name in field_names:
                self.env.add_to_compute(Model._fields[field_name], records)
            records.flush_recordset(list(field_names))
            if hasattr(records, "_on_period_deadlines_moved"):
                records._on_period_deadlines_moved()

    # ------------------------------------------------------------------ engine
    @api.model
    def _get_exceptions(self, date_from, date_to):
        """Return ({days off}, {make-up working days}) between two dates in one query."""
        off, work = set(), set()
        periods = self.sudo().search_read(  # sudo: the calendar is public data
            [("date_from", "<=", date_to), ("date_to", ">=", date_from)],
            ["kind", "date_from", "date_to"],
        )
        for period in periods:
            day = period["date_from"]
            while day <= period["date_to"]:
                (off if period["kind"] == "holiday" else work).add(day)
                day += timedelta(days=1)
        return off, work

    @api.model
    def _is_working_day(self, day, exceptions=None):
        off, work = exceptions or self._get_exceptions(day, day)
        if day in work:
            return True
        return day.weekday() < 5 and day not in off

    @api.model
    def _add_working_days(self, start, days):
        """The date on which a period of `days` working days that starts on `start` expires.

        As in Chinese procedure law, counting starts the day after `start`.
        """
        if not start:
            return False
        # Three calendar days per working day leaves room for the longest holidays.
        exceptions = self._get_exceptions(start, start + timedelta(days=days * 3 + 30))
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            if self._is_working_day(day, exceptions):
                counted += 1
        return day

    @api.model
    def _period_end(self, key, start, extra=0, amount=None):
        """The last day of the statutory period `key` of the table of periods, started by
        the event of `start` (which is not counted) and lengthened by an approved `extra`;
        `amount` replaces the table's length where the bureau sets it."""
        if not start:
            return False
        period = PERIODS[key]
        amount = (period.amount if amount is None else amount) + extra
        if period.unit == WORKING:
            return self._add_working_days(start, amount)
        if period.unit == CALENDAR:
            return self._add_calendar_days(start, amount)
        assert period.unit == MONTHS, period
        return self._roll_to_working_day(start + relativedelta(months=amount))

    @api.model
    def _roll_to_working_day(self, day):
        exceptions = self._get_exceptions(day, day + timedelta(days=30))
        while not self._is_working_day(day, exceptions):
            day += timedelta(days=1)
        return day

    @api.model
    def _uncovered_years(self, dates):
        """The years among `dates` whose State Council notice is not entered: their periods
        are counted with weekends only and may still move."""
        years = {day.year for day in dates if day}
        if not years:
            return []
        covered = (
            self.env["hr.enforcement.holiday.year"]
            .sudo()  # sudo: the calendar is public data
            .search([("year", "in", list(years)), ("period_ids", "!=", False)])
            .mapped("year")
        )
        return sorted(years - set(covered))

    @api.model
    def _calendar_gap_note(self, dates):
        """What a record with these deadlines tells its reader when the calendar lacks a year."""
        years = self._uncovered_years(dates)
        if not years:
            return False
        return _(
            "Deadlines fall in %(years)s, whose State Council holiday notice is not entered yet: "
            "they are counted with weekends only and may move. The managers are asked to "
            "enter it.",
            years=", ".join(map(str, years)),
        )

    @api.model
    def _add_calendar_days(self, start, days):
        """The expiry of a period of `days` calendar days starting on `start`.

        When the last day is a holiday or a rest day, the period expires on the first
        working day after it (民事诉讼法 第八十五条).
        """
        if not start:
            return False
        return self._roll_to_working_day(start + timedelta(days=days))
