import pytz

from odoo import api, fields, models
from odoo.http import request
from odoo.tools import SQL

from ..tools.chain_proof import GENESIS, HASH_VERSION, event_hash, first_break


class HrEnforcementEvent(models.Model):
    """Append-only, hash-chained log of the legally relevant events of a case
    (R21.1, R22.2, R22.3).

    Each event stores who, when, from where and why, and the SHA-256 of its own content
    chained to the previous event of the same case, so that a row rewritten in the database
    breaks the chain at that point. Nobody writes or deletes events, administrators
    included; everyone who reads the case reads its log.
    """

    _name = "hr.enforcement.event"
    _description = "Enforcement Event Log"
    _order = "case_id, sequence"
    _inherit = ["hr.enforcement.guard"]
    _guard_append_only = True
    _log_access = False  # the hashed timestamp and author below are the only truth

    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    sequence = fields.Integer(required=True, readonly=True)
    event_type = fields.Selection(
        [
            ("created", "Created"),
            ("stage_changed", "Stage changed"),
            ("investigation", "Investigation step recorded"),
            ("deliberation", "Deliberation recorded"),
            ("excused", "Requirement excused"),
            ("excuse_withdrawn", "Excuse withdrawn"),
            ("proposed", "Proposed for approval"),
            ("reviewed", "Reviewed"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("withdrawn", "Request withdrawn"),
            ("capture_time_given", "Capture time given"),
            ("capture_time_excused", "Capture time unknown, reason given"),
            ("sealed", "Sealed"),
            ("file_added", "File added"),
            ("viewed", "Viewed"),
            ("downloaded", "Downloaded"),
            ("forensic", "Forensic download"),
            ("exported", "Exported"),
            ("verified", "Verification"),
            ("notice", "Party notified of its rights"),
            ("statement", "Statement or defence recorded"),
            ("hearing", "Hearing step"),
            ("payment", "Payment recorded"),
            ("suspension", "Determination suspended or resumed"),
            ("preservation", "Evidence preservation step"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char("Record Model", readonly=True)
    res_id = fields.Integer("Record ID", readonly=True)
    description = fields.Char(readonly=True)
    purpose = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", "By", required=True, readonly=True)
    timestamp = fields.Datetime(required=True, readonly=True)
    timestamp_local = fields.Char(
        "Time (Bureau)",
        compute="_compute_timestamp_local",
        help="The time in the bureau's time zone, with its offset from UTC.",
    )
    remote_addr = fields.Char("From", readonly=True)
    origin_model = fields.Char(
        readonly=True, help="What authorised the event, e.g. the access request it was made under."
    )
    origin_id = fields.Integer(readonly=True)
    prev_hash = fields.Char(readonly=True)
    hash = fields.Char(readonly=True, index=True)
    hash_version = fields.Integer(readonly=True, default=1)

    _sql_constraints = [
        (
            "case_sequence_uniq",
            "unique(case_id, sequence)",
            "An event number is used once per case.",
        )
    ]

    @api.depends("case_id.name", "sequence", "event_type")
    @api.depends_context("lang")
    def _compute_display_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            # sudo: the case's number, for whoever may read the event
            case_name = event.case_id.sudo().name
            event.display_name = f"{case_name} #{event.sequence} {labels.get(event.event_type, '')}"

    @api.depends("timestamp", "company_id")
    def _compute_timestamp_local(self):
        for event in self:
            event.timestamp_local = event._format_bureau_time(event.timestamp)

    def _bureau_tz(self):
        """The bureau's time zone (its company's address), Asia/Shanghai when none is set:
        every reader of a log sees the same clock, whatever their own zone."""
        name = self.company_id.partner_id.tz or self.env.company.partner_id.tz or "Asia/Shanghai"
        return pytz.timezone(name)

    def _format_bureau_time(self, value):
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(self[:1]._bureau_tz())
        offset = local.strftime("%z")  # +0800
        return f"{local:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})"

    def init(self):
        # The head of each case's chain, advanced with UPDATE … RETURNING: two transactions
        # appending to one case never compute the same sequence; under REPEATABLE READ the
        # later one fails with a serialisation error, which Odoo retries (R22.3).
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS hr_enforcement_event_chain (
                case_id integer PRIMARY KEY REFERENCES hr_enforcement_case(id) ON DELETE CASCADE,
                last_sequence integer NOT NULL,
                last_hash varchar NOT NULL
            );
            INSERT INTO hr_enforcement_event_chain (case_id, last_sequence, last_hash)
            SELECT DISTINCT ON (case_id) case_id, sequence, hash FROM hr_enforcement_event
             ORDER BY case_id, sequence DESC
            ON CONFLICT (case_id) DO NOTHING
            """
        )

    @api.model
    def _advance_chain(self, case):
        """(sequence, previous hash) of the next event of `case`, with its head row locked
        until the end of the transaction. A concurrent append raises a serialisation
        failure here, which the caller's retry (Odoo's request loop) turns into a retry."""
        # a clash is expected and retried, not a bad query to report
        self.env.cr.execute(
            SQL(
                "UPDATE hr_enforcement_event_chain SET last_sequence = last_sequence + 1 "
                "WHERE case_id = %s RETURNING last_sequence, last_hash",
                case.id,
            ),
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if row:
            return row
        # the first event of a case is written in the transaction that creates the case
        self.env.cr.execute(
            SQL(
                "INSERT INTO hr_enforcement_event_chain (case_id, last_sequence, last_hash) "
                "VALUES (%s, 1, %s) RETURNING last_sequence, last_hash",
                case.id,
                GENESIS,
            ),
            log_exceptions=False,
        )
        return self.env.cr.fetchone()

    @api.model
    def _log(self, case, event_type, record=None, description="", purpose="", origin=None):
        """Append one event to `case`'s chain; `origin` is the record that authorised it."""
        case.ensure_one()
        sequence, prev_hash = self._advance_chain(case)
        vals = {
            "case_id": case.id,
            "sequence": sequence,
            "event_type": event_type,
            "res_model": record._name if record else False,
            "res_id": record.id if record else 0,
            "description": description or "",
            "purpose": purpose or "",
            "user_id": self.env.uid,
            "timestamp": fields.Datetime.now(),
            "remote_addr": request.httprequest.remote_addr if request else False,
            "origin_model": origin._name if origin else False,
            "origin_id": origin.id if origin else 0,
            "prev_hash": prev_hash,
            "hash_version": HASH_VERSION,
        }
        vals["hash"] = self._compute_chain_hash(vals)
        vals.update(self._prepare_unhashed_values(record))
        self.env.cr.execute(
            SQL(
                "UPDATE hr_enforcement_event_chain SET last_hash = %s WHERE case_id = %s",
                vals["hash"],
                case.id,
            )
        )
        # sudo: every user who may act on a case leaves a trace, even without log rights
        event = self.sudo()._app().create(vals)
        return self.browse(event.id)

    @api.model
    def _prepare_unhashed_values(self, record):
        """Hook: values kept current by the application beside the hashed payload (the
        archive addon adds the confidentiality of the record an event names)."""
        return {}

    @api.model
    def _compute_chain_hash(self, vals):
        return event_hash(vals)

    @api.model
    def _chain_rows(self, cases):
        """{case id: its events as hashed rows, in sequence order}, in one query."""
        self.env.cr.execute(
            SQL(
                "SELECT id, case_id, sequence, event_type, res_model, res_id, description, "
                "purpose, user_id, timestamp, remote_addr, origin_model, origin_id, "
                "prev_hash, hash, hash_version "
                "FROM hr_enforcement_event WHERE case_id = ANY(%s) ORDER BY case_id, sequence",
                cases.ids,
            )
        )
        rows = {}
        for row in self.env.cr.dictfetchall():
            rows.setdefault(row["case_id"], []).append(row)
        return rows

    @api.model
    def _verify_chain(self, case):
        """Recompute `case`'s chain straight from the database; return the first event
        whose content or link no longer matches (an empty recordset when intact)."""
        broken = first_break(self._chain_rows(case).get(case.id, []))
        return self.browse(broken["id"] if broken else [])

    @api.model
    def _find_break(self, case):
        return self._find_breaks(case).get(case, "")

    @api.model
    def _find_breaks(self, cases):
        """{case: what is wrong with its log, in words} for the broken logs of `cases`, in
        three queries whatever their number: an event whose content or link no longer
        matches; fewer events than the chain's head row counts (a deleted last event); a
        last event other than the one the head row recorded; or a chain that no longer
        passes through where the last daily head saw it (a rewritten tail, even with
        recomputed hashes)."""
        chains = self._chain_rows(cases)
        self.env.cr.execute(
            SQL(
                "SELECT case_id, last_sequence, last_hash FROM hr_enforcement_event_chain "
                "WHERE case_id = ANY(%s)",
                cases.ids,
            )
        )
        counted = {case_id: (count, last) for case_id, count, last in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (l.case_id) l.case_id, l.last_sequence, l.last_hash, h.date, "
                "h.id "
                "FROM hr_enforcement_event_leaf l "
                "JOIN hr_enforcement_event_head h ON h.id = l.head_id "
                "WHERE l.case_id = ANY(%s) ORDER BY l.case_id, l.head_id DESC",
                cases.ids,
            )
        )
        rows = self.env.cr.fetchall()
        seen = {row[0]: row[1:4] for row in rows}
        # the daily head a log is checked against must itself hold, its token included: a
        # head rewritten consistently with the events would otherwise vouch for them
        Head = self.env["hr.enforcement.event.head"].sudo()
        heads = Head.browse({row[4] for row in rows})
        head_breaks = {head.id: (head.date, head._find_head_break()) for head in heads}
        head_of = {row[0]: head_breaks[row[4]] for row in rows}
        broken = {}
        for case in cases:
            day, head_break = head_of.get(case.id, (None, ""))
            message = (
                self.env._(
                    "the chain head of %(day)s it is checked against no longer holds: %(why)s",
                    day=day,
                    why=head_break,
                )
                if head_break
                else self._describe_break(
                    chains.get(case.id, []), counted.get(case.id), seen.get(case.id)
                )
            )
            if message:
                broken[case] = message
        return broken

    @api.model
    def _describe_break(self, rows, counted, seen):
        """The break of one log (`rows` in sequence order), given the chain's head row
        (`counted`: last sequence, last hash) and the last daily head's leaf (`seen`: last
        sequence, last hash, day); "" when it holds."""
        broken = first_break(rows)
        if broken:
            return self.env._("the chain breaks at event %(seq)s", seq=broken["sequence"])
        last_sequence, last_hash = (rows[-1]["sequence"], rows[-1]["hash"]) if rows else (0, None)
        if counted and last_sequence < counted[0]:
            return self.env._(
                "events after %(seq)s were deleted (the log counted %(count)s)",
                seq=last_sequence,
                count=counted[0],
            )
        if counted and counted[1] != last_hash:
            return self.env._("its last event %(seq)s was rewritten", seq=last_sequence)
        if seen:
            sequence, chain_hash, day = seen
            hashes = {row["sequence"]: row["hash"] for row in rows}
            if hashes.get(sequence) != chain_hash:
                return self.env._(
                    "the log no longer passes through event %(seq)s as the chain head of "
                    "%(day)s recorded it",
                    seq=sequence,
                    day=day,
                )
        return ""

    @api.model
    def _cron_verify_chains(self, batch_size=500):
        """Verify every case's log, a batch of cases per call, resuming after the last case
        verified; each broken log alerts the archivists and managers once, naming the case
        and the break (R22.3)."""
        params = self.env["ir.config_parameter"].sudo()
        after = int(params.get_param("hr_enforcement.chain_verify_after", 0))
        Case = self.env["hr.enforcement.case"].sudo()
        cases = Case.search([("id", ">", after)], order="id", limit=batch_size)
        broken = self._find_breaks(cases)
        # alerts are found again by a key in one language, not by the words of the job's
        # language: a run in another language must not alert twice (R22.3)
        keys = (
            self.with_context(lang="en_US")._find_breaks(Case.browse([c.id for c in broken]))
            if broken
            else {}
        )
        for case, message in broken.items():
            case._alert_broken_log(message, key=keys.get(case))
        remaining = Case.search_count([("id", ">", cases[-1:].id or after)]) if cases else 0
        params.set_param("hr_enforcement.chain_verify_after", cases[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(cases), remaining=remaining)
        return broken, remaining

    @api.model
    def _get_chain_head(self, case):
        last = self.search([("case_id", "=", case.id)], order="sequence desc", limit=1)
        return last.hash or GENESIS
