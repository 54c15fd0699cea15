from datetime import datetime, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

KEY_VALIDITY = timedelta(days=365)


# the clocks a station in China keeps
TIME_ZONES = [
    ("Asia/Shanghai", "China Standard Time (UTC+8)"),
    ("UTC", "Coordinated Universal Time (UTC)"),
]


class HrEnforcementStation(models.Model):
    """A docking station (采集工作站) that pushes body-camera exports without a person at
    the form (R4.2, R18.2).

    Each station has a technical user of its own, with no rights of its own on any model
    (a portal account), and API keys on it; the station uploads with the resumable
    protocol at `/hr_enforcement/station/tus`, naming the device, the officer and the
    capture times that it records. A station's key reaches only its own uploads. Each
    file is mapped to the device register and to the officer's one open case, or waits
    in the inbox of unassigned clips until an officer assigns it.
    """

    _name = "hr.enforcement.station"
    _description = "Docking Station"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_case_field = None
    _guard_rule_ref = "R4.2, R18.2"
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char("Station Number", required=True, tracking=True)
    location = fields.Char(tracking=True)
    department_id = fields.Many2one("hr.department", tracking=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    tz = fields.Selection(
        TIME_ZONES,
        "Time Zone",
        required=True,
        default="Asia/Shanghai",
        help="Capture times that the station sends without an offset are read in this zone.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Technical User",
        readonly=True,
        copy=False,
        help="The account the station's API keys belong to; it has no rights of its own.",
    )
    key_count = fields.Integer("API Keys", compute="_compute_key_count")
    clip_ids = fields.One2many("hr.enforcement.av.clip", "station_id", string="Clips")
    clip_count = fields.Integer(compute="_compute_clip_count")
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "A station number is registered once.")
    ]

    def _compute_key_count(self):
        counts = dict.fromkeys(self.ids, 0)
        users = {station.user_id.id: station.id for station in self if station.user_id}
        if users:
            self.env.cr.execute(
                SQL(
                    "SELECT user_id, count(*) FROM res_users_apikeys WHERE user_id IN %s "
                    "AND (expiration_date IS NULL OR expiration_date >= now() at time zone 'utc')"
                    " GROUP BY user_id",
                    tuple(users),
                )
            )
            for user_id, count in self.env.cr.fetchall():
                counts[users[user_id]] = count
        for station in self:
            station.key_count = counts.get(station.id, 0)

    def _compute_clip_count(self):
        counts = dict(
            self.env["hr.enforcement.av.clip"]._read_group(
                [("station_id", "in", self.ids)], ["station_id"], ["__count"]
            )
        )
        for station in self:
            station.clip_count = counts.get(station, 0)

    @api.model_create_multi
    def create(self, vals_list):
        stations = super().create(vals_list)
        for station in stations:
            station._app()._create_technical_user()
        return stations

    def _create_technical_user(self):
        """A portal account: it reads nothing through RPC; the station routes act for it."""
        user = (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": _("Docking station %(code)s", code=self.code),
                    "login": f"hr_enforcement_station_{self.company_id.id}_{self.code}",
                    "company_id": self.company_id.id,
                    "company_ids": [(6, 0, self.company_id.ids)],
                    "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
                    "tz": self.tz,
                    "lang": self.env.lang or "zh_CN",
                }
            )
        )
        self.write({"user_id": user.id})

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals:
            # an archived station's account and keys stop at once
            if not vals["active"]:
                self._revoke_keys()
            self.user_id.sudo().write({"active": vals["active"]})
        return result

    def _check_manager(self):
        if not self.env.user.has_group("hr_enforcement_record.hr_enforcement_record_group_manager"):
            raise AccessError(_("Only an enforcement manager handles a station's keys."))

    def action_new_key(self):
        """Issue an API key for the station, valid a year, shown once."""
        self.ensure_one()
        self._check_manager()
        if not self.active:
            raise UserError(_("The station %(name)s is archived.", name=self.name))
        expires = datetime.now() + KEY_VALIDITY
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_id)
            .sudo()
            ._generate(None, _("Station %(code)s", code=self.code), expires)
        )
        self._app("mail.message").message_post(
            body=_(
                "API key issued by %(user)s, valid until %(date)s.",
                user=self.env.user.name,
                date=fields.Date.to_string(expires.date()),
            )
        )
        # Odoo's own dialog: the key is shown once, from the context, never stored in clear
        return {
            "type": "ir.actions.act_window",
            "name": _("Station API Key"),
            "res_model": "res.users.apikeys.show",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }

    def action_revoke_keys(self):
        """Revoke every key of the station at once (a lost or stolen station)."""
        self._check_manager()
        self._revoke_keys()
        return True

    def _revoke_keys(self):
        for station in self:
            keys = (
                self.env["res.users.apikeys"].sudo().search([("user_id", "=", station.user_id.id)])
            )
            if keys:
                keys._remove()
                station._app("mail.message").message_post(
                    body=_("Every API key revoked by %(user)s.", user=self.env.user.name)
                )

    def action_view_clips(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_enforcement_record.hr_enforcement_av_clip_action"
        )
        action["domain"] = [("station_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ ingest
    @api.model
    def _of_user(self, user):
        """The active station whose technical user `user` is, or an empty recordset."""
        return self.sudo().search([("user_id", "=", user.id)], limit=1)

    def _parse_clip_metadata(self, metadata):
        """The clip's values from the tus metadata a station sends: `device` (the serial
        number in the register, R4.2), `officer` (the officer's enforcement certificate
        number; the device's holder when absent), `capture_start` and `capture_end`
        (ISO 8601; without an offset, in the station's time zone). Raises UserError,
        in the station's language, for anything the register does not know."""
        self.ensure_one()
        serial = (metadata.get("device") or "").strip()
        device = (
            self.env["hr.enforcement.av.device"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("serial_number", "=", serial), ("company_id", "=", self.company_id.id)], limit=1
            )
        )
        if not device:
            raise UserError(
                _("Device %(serial)s is not in the register (R4.2).", serial=serial or "-")
            )
        if not device.active:
            raise UserError(
                _("Device %(device)s is retired from the register (R4.2).", device=device.name)
            )
        officer = device.holder_id
        number = (metadata.get("officer") or "").strip()
        if number:
            certificate = (
                self.env["hr.enforcement.certificate"]
                .sudo()
                .search([("number", "=", number), ("company_id", "=", self.company_id.id)], limit=1)
            )
            if not certificate:
                raise UserError(
                    _("No officer holds the enforcement certificate %(number)s.", number=number)
                )
            officer = certificate.employee_id
            # R4.2: a device issued to one officer records that officer; a pool device
            # (no holder) records whoever the station names
            if device.holder_id and officer != device.holder_id:
                raise UserError(
                    _(
                        "Device %(device)s is issued to %(holder)s, not to the holder of "
                        "certificate %(number)s (R4.2).",
                        device=device.name,
                        holder=device.holder_id.name,
                        number=number,
                    )
                )
        values = {"device_id": device.id, "officer_id": officer.id}
        for key in ("capture_start", "capture_end"):
            if metadata.get(key):
                values[key] = self._parse_time(metadata[key])
        if not values.get("capture_start"):
            raise UserError(_("The capture start time is missing (R18.2)."))
        now = fields.Datetime.now()
        if values["capture_start"] > now or values.get("capture_end", now) > now:
            raise UserError(_("The capture time is in the future."))
        if values.get("capture_end") and values["capture_end"] < values["capture_start"]:
            raise UserError(_("The capture ends before it starts."))
        return values

    def _parse_time(self, text):
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError as error:
            raise UserError(_("%(value)s is not an ISO 8601 time.", value=text)) from error
        if moment.tzinfo is None:
            moment = pytz.timezone(self.tz).localize(moment)
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    def _receive_clip(self, facts, filename, values):
        """A complete file from this station: record it as a clip and assign it to the
        officer's one open case when there is exactly one (R18.2)."""
        self.ensure_one()
        clip = (
            self.env["hr.enforcement.av.clip"]
            .sudo()
            ._app()
            .create(
                dict(
                    values,
                    **facts,
                    name=filename,
                    station_id=self.id,
                    company_id=self.company_id.id,
                    received_at=fields.Datetime.now(),
                )
            )
        )
        clip._assign_automatically()
        return clip
