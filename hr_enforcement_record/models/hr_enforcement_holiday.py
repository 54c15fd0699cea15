from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    year = fields.Integer(compute="_compute_year", store=True)
    notice = fields.Char(
        help="The State Council notice that sets this period, e.g. 国办发明电〔2024〕12号.",
        required=True,
    )

    @api.depends("date_from")
    def _compute_year(self):
        for period in self:
            period.year = period.date_from.year if period.date_from else 0

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
    def _add_calendar_days(self, start, days):
        """The expiry of a period of `days` calendar days starting on `start`.

        When the last day is a holiday or a rest day, the period expires on the first
        working day after it (Administrative Penalty Law art. 85, Civil Procedure Law art. 85).
        """
        if not start:
            return False
        end = start + timedelta(days=days)
        exceptions = self._get_exceptions(end, end + timedelta(days=30))
        while not self._is_working_day(end, exceptions):
            end += timedelta(days=1)
        return end
