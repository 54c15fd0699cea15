import base64
import io
import logging

import requests

from odoo import _, _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..report.chain_head_pdf import write_chain_heads
from ..tools import timestamp
from ..tools.chain_proof import head_digest, leaf_hash, merkle_root, token_fingerprint
from .hr_enforcement_guard import GuardError

_logger = logging.getLogger(__name__)

TSA_URL = "hr_enforcement.tsa_url"
TSA_CERTIFICATES = "hr_enforcement.tsa_certificates"
# an authority that hangs must not keep the daily job past a worker's time limit: at most
# STAMP_BATCH requests of TSA_TIMEOUT seconds per run, the rest on the next run
TSA_TIMEOUT = 10
STAMP_BATCH = 3
# why a token or an answer is refused, in the user's language (TimestampError.reason)
TIMESTAMP_REASONS = {
    "unreadable": _lt("the token or the answer cannot be read as RFC 3161"),
    "refused": _lt("the authority refused to time-stamp"),
    "other_digest": _lt("the token is for another digest or another request"),
    "altered": _lt("the token was altered after the authority signed it"),
    "certificate": _lt("the signer's certificate is not a valid time-stamping certificate"),
    "untrusted": _lt("the signer does not chain to a trusted time-stamping authority"),
}


class HrEnforcementEventHead(models.Model):
    """The daily head of all event chains (R22.3): the Merkle root over where each case's
    chain stood that day (one leaf per case: case, last sequence, last hash), chained with
    the previous day's head, and time-stamped by an RFC 3161 authority. The leaves are
    kept, so that a deleted last event or a rewritten tail is found and named by case;
    the token proves to an outsider that the head existed at its time. Written by the
    daily scheduled action only; managers and supervisors read, print and export it."""

    _name = "hr.enforcement.event.head"
    _description = "Daily Event Chain Head"
    _inherit = ["hr.enforcement.guard", "mail.thread", "mail.activity.mixin"]
    _guard_case_field = None
    _guard_append_only = True
    # a head is stamped once, by the application, when the authority answers (R22.3)
    _guard_always_writable = frozenset(
        {"tsa_token", "tsa_time", "tsa_serial", "tsa_authority", "tsa_url", "tsa_error"}
    )
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True)
    digest = fields.Char(required=True, readonly=True)
    previous_digest = fields.Char(readonly=True)
    previous_token_hash = fields.Char(
        "Previous Token Fingerprint",
        readonly=True,
        help="SHA-256 of the previous head's time-stamp token ('none' when it had none), "
        "part of this head's digest: a token removed or replaced breaks the next head.",
    )
    tz = fields.Char("Time Zone of Its Day", readonly=True)
    case_count = fields.Integer(readonly=True)
    merkle_root = fields.Char(readonly=True)
    leaf_ids = fields.One2many("hr.enforcement.event.leaf", "head_id", readonly=True)
    tsa_token = fields.Binary(
        "Time-Stamp Token", attachment=False, readonly=True, help="RFC 3161 token (DER)."
    )
    tsa_time = fields.Datetime("Time-Stamped At", readonly=True)
    tsa_serial = fields.Char("Token Serial Number", readonly=True)
    tsa_authority = fields.Char("Time-Stamping Authority", readonly=True)
    tsa_url = fields.Char("Authority URL", readonly=True)
    tsa_error = fields.Char("Last Time-Stamping Error", readonly=True)
    tsa_state = fields.Selection(
        [("unstamped", "Not time-stamped"), ("stamped", "Time-stamped")],
        compute="_compute_tsa_state",
        store=True,
        string="Time Stamp",
    )

    _sql_constraints = [("date_uniq", "unique(date)", "One chain head per day.")]

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for head in self:
            head.display_name = self.env._("Chain Head of %(date)s", date=head.date)

    @api.depends("tsa_token")
    def _compute_tsa_state(self):
        for head in self:
            head.tsa_state = "stamped" if head.tsa_token else "unstamped"

    @api.model
    def _current_leaves(self):
        """(case_id, last sequence, last hash) of every case's chain, now."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (case_id) case_id, sequence, hash FROM hr_enforcement_event "
                "ORDER BY case_id, sequence DESC"
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _chain_digest(self, previous, root, previous_token=None):
        return head_digest(previous, root, previous_token or None)

    def _own_digest(self):
        return self._chain_digest(self.previous_digest, self.merkle_root, self.previous_token_hash)

    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    def _day_of(self, moment):
        """The day of `moment` (naive UTC) in the time zone of this head's day."""
        return fields.Date.context_today(self.with_context(tz=self.tz or "UTC"), moment)

    def write(self, vals):
        # R22.3: a stamped head keeps its token for good, whoever writes (the application too)
        if "tsa_token" in vals and self.filtered("tsa_token"):
            raise GuardError(
                self.env._("A time-stamped chain head never loses or changes its token (R22.3).")
            )
        return super().write(vals)

    @api.model
    def _cron_record_head(self):
        """Record today's head (idempotent: at most one per day), then time-stamp it and
        any earlier head the authority did not answer for. Returns today's head."""
        head = self._record_head()
        self._stamp_pending()
        self._check_recent_heads()
        return head

    @api.model
    def _record_head(self):
        today = self._today()
        existing = self.search([("date", "=", today)])
        if existing:
            return existing
        Leaf = self.env["hr.enforcement.event.leaf"]
        rows = self._current_leaves()
        leaves = [Leaf._leaf_hash(*row) for row in rows]
        root = merkle_root(leaves)
        previous = self.search([], limit=1)
        token_hash = token_fingerprint(base64.b64decode(previous.tsa_token or b""))
        head = self._app().create(
            {
                "date": today,
                "merkle_root": root,
                "digest": self._chain_digest(previous.digest, root, token_hash),
                "previous_digest": previous.digest,
                "previous_token_hash": token_hash,
                "tz": self.env.context.get("tz") or self.env.user.tz or "UTC",
                "case_count": len(rows),
            }
        )
        Leaf._app().create(
            [
                {
                    "head_id": head.id,
                    "case_id": case_id,
                    "last_sequence": sequence,
                    "last_hash": chain_hash,
                    "leaf_hash": leaf,
                }
                for (case_id, sequence, chain_hash), leaf in zip(rows, leaves, strict=True)
            ]
        )
        return head

    # ------------------------------------------------------------------ self-check

    @api.model
    def _check_recent_heads(self, count=2):
        """Check the newest heads against themselves and their tokens; alert the managers
        of each one that no longer holds. Returns {head: why}."""
        broken = {}
        for head in self.search([], limit=count):
            why = head._find_head_break()
            if why:
                broken[head] = why
                # found again by the break in one language, whatever the job's (R22.3)
                head._alert_broken_head(why, key=head.with_context(lang="en_US")._find_head_break())
        return broken

    def _find_head_break(self):
        """What no longer holds in this head, in words, or "": its stored leaves no longer
        give its Merkle root, its digest its root, its previous digest the head before it,
        or its token its digest (a head rewritten in the database, even consistently)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT case_id, last_sequence, last_hash FROM hr_enforcement_event_leaf "
                "WHERE head_id = %s ORDER BY id",
                self.id,
            )
        )
        leaves = [leaf_hash(*row) for row in self.env.cr.fetchall()]
        if merkle_root(leaves) != self.merkle_root:
            return self.env._("its leaves no longer give its Merkle root")
        if self._own_digest() != self.digest:
            return self.env._("its digest no longer matches its Merkle root")
        previous = self.search([("date", "<", self.date)], limit=1)
        if previous and previous.digest != (self.previous_digest or False):
            return self.env._("it no longer chains to the head of %(day)s", day=previous.date)
        if previous.previous_token_hash and not self.previous_token_hash:
            return self.env._("it no longer commits to the time stamp of the head before it")
        fingerprint = token_fingerprint(base64.b64decode(previous.tsa_token or b""))
        if self.previous_token_hash and previous and fingerprint != self.previous_token_hash:
            return self.env._(
                "the time stamp of the head of %(day)s that it commits to was removed or replaced",
                day=previous.date,
            )
        if self.tsa_token:
            _url, trusted = self._tsa_config()
            try:
                info = timestamp.verify_token(
                    base64.b64decode(self.tsa_token), self.digest, trusted
                )
            except timestamp.TimestampError as exc:
                return self.env._(
                    "its time stamp is not valid: %(why)s", why=self._timestamp_reason(exc)
                )
            if self.tz and self._day_of(info.gen_time) != self.date:
                return self.env._(
                    "it was time-stamped on another day (%(time)s UTC)", time=info.gen_time
                )
        return ""

    def _alert_broken_head(self, why, key=None):
        """Tell the managers, once per break, that this head no longer holds (R22.3);
        `key` (the break in English) finds an alert already given in another language."""
        self.ensure_one()
        mark = f"[HEAD-{self.id}] {key or why}"
        if self.activity_ids.filtered(lambda a: mark in (a.note or "")):
            return
        managers = self.env.ref("hr_enforcement_record.hr_enforcement_record_group_manager").users
        for user in managers.filtered(lambda u: u.active and not u._is_superuser()):
            local = self.with_context(lang=user.lang or self.env.lang)
            self._app().activity_schedule(
                "hr_enforcement_record.mail_activity_type_chain_head",
                summary=local.env._("The chain head of %(day)s was altered", day=self.date),
                note=mark,
                user_id=user.id,
            )

    # ------------------------------------------------------------------ time stamps

    @api.model
    def _timestamp_reason(self, error):
        """A TimestampError in the user's language, with its technical detail."""
        reason = TIMESTAMP_REASONS.get(error.reason, TIMESTAMP_REASONS["unreadable"])
        return f"{reason} ({error})"

    @api.model
    def _tsa_config(self):
        params = self.env["ir.config_parameter"].sudo()
        return (params.get_param(TSA_URL) or "").strip(), params.get_param(TSA_CERTIFICATES) or ""

    @api.model
    def _stamp_pending(self):
        """Time-stamp the heads that have no token yet, newest first, each alone: an
        authority that is down or answers wrongly leaves its error on the head and the
        head for the next run. Returns how many are still unstamped."""
        url, _trusted = self._tsa_config()
        today = self._today()
        # R22.3: a head is stamped on its own day only; one that was not stays unstamped,
        # and the next head commits to that
        late = self.search(
            [
                ("tsa_state", "=", "unstamped"),
                ("date", "<", today),
                ("tsa_error", "not like", "[LATE]"),
            ]
        )
        for head in late:
            head._app().write(
                {"tsa_error": "[LATE] " + _("not time-stamped on its day; it stays unstamped")}
            )
        pending = self.search([("tsa_state", "=", "unstamped"), ("date", "=", today)])
        if not url:
            return 0
        for head in pending[:STAMP_BATCH]:
            try:
                with self.env.cr.savepoint():
                    head._stamp()
            except (requests.RequestException, timestamp.TimestampError, UserError) as exc:
                _logger.warning("Chain head of %s not time-stamped: %s", head.date, exc)
                why = (
                    self._timestamp_reason(exc)
                    if isinstance(exc, timestamp.TimestampError)
                    else exc.args[0]
                    if isinstance(exc, UserError)
                    else _("the authority did not answer (%s)", exc)
                )
                head._app().write({"tsa_error": why[:500], "tsa_url": url})
        return self.search_count([("tsa_state", "=", "unstamped"), ("date", "=", today)])

    def _stamp(self):
        """Ask the configured authority for a token over this head's digest; keep it only
        once verified against the trusted authorities."""
        self.ensure_one()
        if self.tsa_token:
            return
        if self.date != self._today():
            raise UserError(
                _("The chain head of %s is time-stamped on its own day only (R22.3).", self.date)
            )
        url, _trusted = self._tsa_config()
        token, info = self._request_timestamp(self.digest)
        if self._day_of(info.gen_time) != self.date:
            raise UserError(
                _(
                    "The authority's time %(time)s UTC is not on %(day)s.",
                    time=info.gen_time,
                    day=self.date,
                )
            )
        self._app().write(
            {
                "tsa_token": base64.b64encode(token),
                "tsa_time": info.gen_time,
                "tsa_serial": info.serial,
                "tsa_authority": info.authority,
                "tsa_url": url,
                "tsa_error": False,
            }
        )

    @api.model
    def _request_timestamp(self, digest):
        """(token DER, TokenInfo) from the configured authority over the SHA-256 `digest`
        (hex), verified against the trusted authorities before it is returned (RFC 3161)."""
        url, trusted = self._tsa_config()
        query, nonce = timestamp.build_request(digest)
        response = requests.post(
            url,
            data=query,
            headers={"Content-Type": "application/timestamp-query"},
            timeout=TSA_TIMEOUT,
        )
        response.raise_for_status()
        token = timestamp.token_of_response(response.content)
        return token, timestamp.verify_token(token, digest, trusted, nonce=nonce)

    def _verify_timestamp(self):
        """TokenInfo of this head's token, verified now against the trusted authorities
        and the head's digest recomputed from its stored root; UserError otherwise."""
        self.ensure_one()
        if not self.tsa_token:
            raise UserError(_("The chain head of %s has no time-stamp token.", self.date))
        if self.digest != self._own_digest():
            raise UserError(_("The chain head of %s does not match its own root.", self.date))
        _url, trusted = self._tsa_config()
        try:
            return timestamp.verify_token(base64.b64decode(self.tsa_token), self.digest, trusted)
        except timestamp.TimestampError as exc:
            raise UserError(
                _(
                    "The time stamp of the chain head of %(day)s is not valid: %(why)s",
                    day=self.date,
                    why=self._timestamp_reason(exc),
                )
            ) from exc

    def action_verify_timestamp(self):
        self.ensure_one()
        info = self._verify_timestamp()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "The time stamp is valid: %(authority)s signed this head's digest at "
                    "%(time)s UTC (serial %(serial)s).",
                    authority=info.authority,
                    time=info.gen_time,
                    serial=info.serial,
                ),
            },
        }

    # ------------------------------------------------------------------ export

    def _export_payload(self):
        """What an outsider needs to verify these heads against a database dump (see
        `tools/verify_heads.py`): each head with its leaves, named by case where the reader
        may read the case, and its token."""
        self.check_access("read")
        heads = self.sorted("date")
        self.env.cr.execute(
            SQL(
                "SELECT l.head_id, l.case_id, c.name, l.last_sequence, l.last_hash, l.leaf_hash "
                "FROM hr_enforcement_event_leaf l JOIN hr_enforcement_case c ON c.id = l.case_id "
                "WHERE l.head_id IN %s ORDER BY l.head_id, l.id",
                tuple(heads.ids),
            )
        )
        rows = self.env.cr.fetchall()
        # a case the reader may not read is named by its id only (R20.1): the verifier needs
        # its leaf, not its reference
        readable = set(
            self.env["hr.enforcement.case"].search([("id", "in", [row[1] for row in rows])]).ids
        )
        leaves = {}
        for head_id, case_id, name, sequence, chain_hash, leaf in rows:
            leaves.setdefault(head_id, []).append(
                {
                    "case_id": case_id,
                    "case": name if case_id in readable else None,
                    "last_sequence": sequence,
                    "last_hash": chain_hash,
                    "leaf_hash": leaf,
                }
            )
        self.env.cr.execute(
            SQL(
                "SELECT id, (SELECT max(p.date) FROM hr_enforcement_event_head p "
                "WHERE p.date < h.date) FROM hr_enforcement_event_head h WHERE id IN %s",
                tuple(heads.ids),
            )
        )
        previous_dates = dict(self.env.cr.fetchall())
        return {
            "format": "hr_enforcement.chain_heads/1",
            "database": self.env.cr.dbname,
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "exported_by": self.env.user.login,
            "tsa_certificates": self._tsa_config()[1],
            "heads": [
                {
                    "date": fields.Date.to_string(head.date),
                    "previous_date": fields.Date.to_string(previous_dates.get(head.id)),
                    "previous_digest": head.previous_digest or "",
                    "previous_token_hash": head.previous_token_hash or None,
                    "timezone": head.tz or None,
                    "merkle_root": head.merkle_root,
                    "digest": head.digest,
                    "case_count": head.case_count,
                    "tsa_token": head.tsa_token.decode() if head.tsa_token else None,
                    "tsa_time": fields.Datetime.to_string(head.tsa_time),
                    "tsa_serial": head.tsa_serial or None,
                    "tsa_authority": head.tsa_authority or None,
                    "leaves": leaves.get(head.id, []),
                }
                for head in heads
            ],
        }

    def _render_reportlab_batch(self, report_name):
        """The selected heads in date order, one page each, with their tokens (R22.3)."""
        if report_name != "hr_enforcement_record.report_chain_heads":
            return super()._render_reportlab_batch(report_name)
        labels = {
            "title": _("Daily Chain Heads"),
            "heading": _("Daily Chain Head of %s"),
            "case_count": _("Cases"),
            "merkle_root": _("Merkle root"),
            "previous_digest": _("Previous digest"),
            "digest": _("Digest (time-stamped)"),
            "tsa_time": _("Time-stamped at (UTC)"),
            "tsa_authority": _("Time-stamping authority"),
            "tsa_serial": _("Token serial number"),
            "token": _("Time-stamp token (RFC 3161, DER in Base64)"),
        }
        heads = [
            {
                "date": fields.Date.to_string(head.date),
                "case_count": head.case_count,
                "merkle_root": head.merkle_root,
                "previous_digest": head.previous_digest,
                "digest": head.digest,
                "tsa_time": fields.Datetime.to_string(head.tsa_time) if head.tsa_time else "",
                "tsa_authority": head.tsa_authority or head.tsa_error,
                "tsa_serial": head.tsa_serial,
                "token": (head.tsa_token or b"").decode(),
            }
            for head in self.sorted("date")
        ]
        stream = io.BytesIO()
        write_chain_heads(
            stream,
            self.env["hr.enforcement.case"]._get_pdf_font(),
            labels,
            heads,
            self.env.company.name,
        )
        return stream.getvalue()

    def _heads_url_action(self, route, target):
        ids = ",".join(str(head_id) for head_id in self.ids)
        return {"type": "ir.actions.act_url", "url": f"{route}?ids={ids}", "target": target}

    def action_export_heads(self):
        """The heads with their leaves and tokens as a file for an outside verifier."""
        return self._heads_url_action("/hr_enforcement/heads/export", "self")

    def action_print_heads(self):
        return self.env.ref("hr_enforcement_record.action_report_chain_heads").report_action(self)
