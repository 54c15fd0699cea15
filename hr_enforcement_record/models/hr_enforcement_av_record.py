import logging
import struct
from datetime import datetime, timedelta

import pytz
from PIL import Image

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hr_enforcement_guard import Freeze

_logger = logging.getLogger(__name__)

UPLOAD_LIMIT = timedelta(hours=24)
# R18.2: the times the 24-hour rule is measured from
CAPTURE_FIELDS = frozenset({"capture_start", "capture_end", "off_site", "returned_at"})
# what an officer may still give, once, when the stored file gave no capture time
GIVEN_ONCE = frozenset({"capture_start", "capture_end"})
MP4_EPOCH = datetime(1904, 1, 1)
EXIF_IFD = 0x8769
EXIF_DATETIME_ORIGINAL = 36867
EXIF_DATETIME = 306


def read_capture_time(handle, mimetype, tz_name):
    """(capture time, problem): the time stored in the file itself (EXIF in the camera's
    local time `tz_name`, MP4/MOV `mvhd` in UTC) as naive UTC, or None with the problem,
    "missing" or "unreadable"."""
    try:
        if mimetype and mimetype.startswith("image/"):
            with Image.open(handle) as image:
                exif = image.getexif()
                raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
            if not raw:
                return None, "missing"
            local = pytz.timezone(tz_name).localize(datetime.strptime(raw, "%Y:%m:%d %H:%M:%S"))
            return local.astimezone(pytz.utc).replace(tzinfo=None), None
        if mimetype in ("video/mp4", "video/quicktime"):
            captured = _read_mvhd_time(handle)
            return captured, None if captured else "missing"
    except (OSError, ValueError, OverflowError, struct.error) as error:
        _logger.info("Unreadable capture time in %s: %s", getattr(handle, "name", ""), error)
        return None, "unreadable"
    return None, "missing"


def _read_mvhd_time(handle):
    end = handle.seek(0, 2)
    handle.seek(0)
    while handle.tell() < end:
        start = handle.tell()
        size, kind = struct.unpack(">I4s", handle.read(8))
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
        if kind == b"moov":
            end = start + size  # descend: mvhd is the first child of moov
            continue
        if kind == b"mvhd":
            version = handle.read(1)[0]
            handle.read(3)
            seconds = struct.unpack(">Q" if version else ">I", handle.read(8 if version else 4))[0]
            return MP4_EPOCH + timedelta(seconds=seconds) if seconds else None
        if size < 8:
            return None
        handle.seek(start + size)
    return None


class HrEnforcementAvRecord(models.Model):
    """An audio-visual record (R3.3, R4.2, R18.2): photo, audio, video or surveillance,
    naming the device and the officer, with capture and upload times.

    The capture time comes from the file's own metadata where present. The record is late
    when uploaded more than 24 hours after capture, or — for off-site work — 24 hours after
    the officer's return to the unit (R18.2).
    """

    _name = "hr.enforcement.av.record"
    _description = "Audio-Visual Record"
    _inherit = ["hr.enforcement.record.mixin"]
    _order = "capture_start desc, id desc"
    _guard_rule_ref = "R18.2, R22.3"

    name = fields.Char(required=True, tracking=True)
    media_type = fields.Selection(
        [
            ("photo", "Photo"),
            ("audio", "Audio"),
            ("video", "Video"),
            ("surveillance", "Surveillance"),
        ],
        required=True,
        tracking=True,
    )
    device_id = fields.Many2one(
        "hr.enforcement.av.device", required=True, tracking=True, ondelete="restrict"
    )
    officer_id = fields.Many2one(
        "hr.employee", required=True, tracking=True, default=lambda self: self.env.user.employee_id
    )
    capture_start = fields.Datetime(tracking=True)
    capture_end = fields.Datetime(tracking=True)
    capture_time_source = fields.Selection(
        [("metadata", "File metadata"), ("manual", "Entered")], readonly=True
    )
    # R4.1, R18.2: evidence is never refused for its metadata; a time the file does not give
    # is flagged, and the officer gives it (once) or writes why it cannot be given
    capture_time_issue = fields.Selection(
        [
            ("missing", "The file carries no capture time"),
            ("unreadable", "The file's capture time is unreadable"),
            ("future", "The file's capture time is later than its storage"),
        ],
        readonly=True,
        copy=False,
    )
    capture_time_in_file = fields.Datetime(
        "Capture Time in the File",
        readonly=True,
        copy=False,
        help="The time the device wrote into the file, kept as found when it cannot be true.",
    )
    capture_time_reason = fields.Text(
        "Why the Capture Time Is Unknown",
        tracking=True,
        copy=False,
        help="Written by the officer when the capture time cannot be given.",
    )
    capture_time_pending = fields.Boolean(
        compute="_compute_capture_time_pending",
        store=True,
        help="Stored without a capture time and without a reason: the record cannot be "
        "sealed and does not count as stored within 24 hours (R18.2).",
    )
    off_site = fields.Boolean("Off-site Work", tracking=True)
    returned_at = fields.Datetime("Returned to the Unit", tracking=True)
    uploaded_at = fields.Datetime(readonly=True, copy=False)
    upload_deadline = fields.Datetime(compute="_compute_upload_deadline", store=True)
    upload_late = fields.Boolean("Late (R18.2)", compute="_compute_upload_deadline", store=True)
    file_ids = fields.One2many("hr.enforcement.evidence.file", "av_record_id", string="Files")
    corrects_id = fields.Many2one("hr.enforcement.av.record", readonly=True, copy=False)

    @api.depends("file_ids")
    def _compute_file_count(self):
        for record in self:
            record.file_count = len(record.file_ids)

    capture_time_fixed = fields.Boolean(compute="_compute_capture_time_fixed")

    @api.depends("uploaded_at")
    def _compute_capture_time_fixed(self):
        # as stored, not as being typed: the form keeps the fields open until saved
        for record in self:
            record.capture_time_fixed = bool(
                record._origin.uploaded_at and record._origin.capture_start
            )

    @api.depends("uploaded_at", "capture_start", "off_site", "capture_time_reason")
    def _compute_capture_time_pending(self):
        for record in self:
            known = record.capture_start or record.off_site
            record.capture_time_pending = bool(
                record.uploaded_at and not known and not (record.capture_time_reason or "").strip()
            )

    @api.depends("capture_start", "capture_end", "off_site", "returned_at", "uploaded_at")
    def _compute_upload_deadline(self):
        for record in self:
            start = (
                record.returned_at
                if record.off_site
                else (record.capture_end or record.capture_start)
            )
            record.upload_deadline = start + UPLOAD_LIMIT if start else False
            record.upload_late = bool(
                record.upload_deadline
                and record.uploaded_at
                and record.uploaded_at > record.upload_deadline
            )

    @api.constrains("capture_start", "capture_end", "uploaded_at", "returned_at", "off_site")
    def _check_times(self):
        now = fields.Datetime.now()
        for record in self:
            start, end = record.capture_start, record.capture_end
            if start and start > now or end and end > now:
                raise ValidationError(
                    _("%(record)s: the capture time is in the future.", record=record.name)
                )
            if start and end and end < start:
                raise ValidationError(
                    _("%(record)s: the capture ends before it starts.", record=record.name)
                )
            if start and record.uploaded_at and start > record.uploaded_at:
                raise ValidationError(
                    _("%(record)s: the capture time is after the upload.", record=record.name)
                )
            if record.off_site and not record.returned_at:
                raise ValidationError(
                    _(
                        "%(record)s: off-site work needs the time of return to the unit (R18.2).",
                        record=record.name,
                    )
                )

    @api.constrains("device_id", "officer_id")
    def _check_device(self):
        """R4.2: a registered, active device, held by the officer when issued to someone."""
        for record in self:
            device = record.device_id
            if not device.active:
                raise ValidationError(
                    _("Device %(device)s is retired from the register (R4.2).", device=device.name)
                )
            if device.holder_id and device.holder_id != record.officer_id:
                raise ValidationError(
                    _(
                        "Device %(device)s is issued to %(holder)s, not to %(officer)s (R4.2).",
                        device=device.name,
                        holder=device.holder_id.name,
                        officer=record.officer_id.name,
                    )
                )

    def _guard_own_freezes(self):
        freezes = super()._guard_own_freezes()
        if self.uploaded_at:
            # a capture time the file did not give is given once after storage (R18.2)
            fixed = CAPTURE_FIELDS if self.capture_start else CAPTURE_FIELDS - GIVEN_ONCE
            freezes.append(
                Freeze(
                    self.env._("its capture times are fixed once a file is stored (R18.2)"),
                    only=fixed,
                    inherit=False,
                )
            )
        if self.capture_time_reason and (self.capture_start or self.uploaded_at):
            freezes.append(
                Freeze(
                    self.env._("the reason for an unknown capture time is written once (R18.2)"),
                    only=frozenset({"capture_time_reason"}),
                    inherit=False,
                )
            )
        return freezes

    def write(self, vals):
        untimed = self.filtered(lambda r: r.uploaded_at and not r.capture_start)
        result = super().write(vals)
        given = untimed.filtered("capture_start") if "capture_start" in vals else untimed.browse()
        if given:
            given._app().write({"capture_time_source": "manual"})
        for record in given:
            self.env["hr.enforcement.event"]._log(
                record.case_id,
                "capture_time_given",
                record,
                record.display_name,
                purpose=record.env["hr.enforcement.event"]._format_bureau_time(
                    record.capture_start
                ),
            )
        if "capture_time_reason" in vals:
            for record in untimed.filtered("capture_time_reason"):
                self.env["hr.enforcement.event"]._log(
                    record.case_id,
                    "capture_time_excused",
                    record,
                    record.display_name,
                    purpose=record.capture_time_reason[:500],
                )
        return result

    def _check_before_seal(self):
        result = super()._check_before_seal()
        pending = self.filtered("capture_time_pending")
        if pending:
            raise ValidationError(
                _(
                    "%(records)s cannot be sealed before its capture time is given, or the "
                    "reason it cannot be given is written (R18.2).",
                    records=", ".join(pending.mapped("name")),
                )
            )
        return result

    def _on_file_added(self, evidence):
        if self.uploaded_at:
            return
        values = {"uploaded_at": evidence.uploaded_at}
        if not self.capture_start:
            tz_name = self.officer_id.user_id.tz or self.env.user.tz or "Asia/Shanghai"
            store = self.env["hr.enforcement.filestore"]
            try:
                with store._open(evidence.sudo().store_fname) as handle:
                    captured, problem = read_capture_time(handle, evidence.mimetype, tz_name)
            except OSError as error:
                _logger.info("Capture time of %s not read: %s", evidence.name, error)
                captured, problem = None, "unreadable"
            if captured and captured > evidence.uploaded_at:
                # a fast camera clock or a wrong zone: kept as found, never as the truth
                values.update(capture_time_in_file=captured, capture_time_issue="future")
            elif captured:
                values.update(capture_start=captured, capture_time_source="metadata")
            else:
                values["capture_time_issue"] = problem
        self._app().write(values)

    @api.onchange("capture_start")
    def _onchange_capture_start(self):
        if self.capture_start and not self.capture_time_source:
            self.capture_time_source = "manual"
