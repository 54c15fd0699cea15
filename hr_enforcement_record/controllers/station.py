"""Docking stations push their exports over the same resumable protocol (R4.2, R18.2).

A station authenticates with an API key of its technical user (`Authorization: Bearer`);
its metadata names the device, the officer and the capture times. The device and officer
are checked against the registers at creation, before any byte is sent; the file is
registered at its last byte as a clip, assigned to the officer's one open case or left in
the inbox. Uploads are per account, so a station's key reaches only its own uploads."""

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from .tus import TusProtocol


class StationController(http.Controller, TusProtocol):
    upload_url = "/hr_enforcement/station/tus/"

    def _station(self):
        return request.env["hr.enforcement.station"]._of_user(request.env.user)

    @http.route(
        "/hr_enforcement/station/tus",
        type="http",
        auth="none",
        methods=["OPTIONS"],
        csrf=False,
        save_session=False,
    )
    def announce_options(self, **kwargs):
        return self._options()

    @http.route(
        "/hr_enforcement/station/tus",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,  # API key only: a session is taken for same-origin navigation alone
        save_session=False,
    )
    def create_upload(self, **kwargs):
        refused = self._refused_version()
        if refused:
            return refused
        station = self._station()
        if not station:
            return self._answer(403, _("This account is not a docking station's."))
        asked = self._length_and_metadata()
        if not isinstance(asked, tuple):
            return asked
        length, metadata, filename = asked
        try:
            values = station.with_context(lang=station.user_id.lang)._parse_clip_metadata(metadata)
        except UserError as error:
            return self._answer(422, error.args[0])
        values = {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in values.items()
        }
        return self._create(length, filename, metadata, station_id=station.id, clip=values)

    @http.route(
        "/hr_enforcement/station/tus/<string:token>",
        type="http",
        auth="bearer",
        methods=["HEAD", "PATCH", "DELETE"],
        csrf=False,
        save_session=False,
    )
    def upload(self, token, **kwargs):
        return self._serve(token)

    def _refused_meta(self, meta):
        if self._station().id != meta["station_id"]:  # archived since, or another account
            return self._answer(403, _("This account is not a docking station's."))
        return None
