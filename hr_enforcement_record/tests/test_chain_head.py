import base64
import gzip
import io
import json
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..tools import timestamp
from ..tools.chain_proof import (
    NO_TOKEN,
    event_hash,
    head_digest,
    leaf_hash,
    merkle_root,
    token_fingerprint,
)
from .common import EnforcementCase
from .tsa_authority import LocalTimestampAuthority

VERIFIER = Path(__file__).resolve().parent.parent / "tools" / "verify_heads.py"
DUMPED_TABLES = (
    "hr_enforcement_case",
    "hr_enforcement_event",
    "hr_enforcement_event_chain",
    "hr_enforcement_event_head",
)


def pdf_text(data):
    """The text of a PDF, as poppler's pdftotext reads it."""
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


class ChainHeadCase(EnforcementCase):
    """A real RFC 3161 authority (openssl ts) on this machine, trusted by the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.authority = LocalTimestampAuthority().start()
        cls.addClassCleanup(cls.authority.stop)
        cls.rogue = LocalTimestampAuthority("Rogue TSA").start()
        cls.addClassCleanup(cls.rogue.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("hr_enforcement.tsa_url", cls.authority.url)
        params.set_param("hr_enforcement.tsa_certificates", cls.authority.ca_pem)
        cls.Head = cls.env["hr.enforcement.event.head"]

    def _record_head(self, tz=None):
        """Today's head, as the scheduled action leaves it (outside the application's
        own context); `tz` the time zone of the job's day."""
        self.env.flush_all()
        Head = self.Head.with_context(tz=tz) if tz else self.Head
        return self.Head.browse(Head._cron_record_head().id)

    def _rogue_token(self, digest):
        query, nonce = timestamp.build_request(digest)
        return timestamp.token_from_response(
            self.rogue.reply(query), digest, nonce, self.rogue.ca_pem
        )

    def _set_token(self, head, token):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET tsa_token = %s WHERE id = %s",
            [base64.b64encode(token), head.id],
        )
        head.invalidate_recordset()


class TestChainHeadTimestamp(ChainHeadCase):
    """R22.3: each daily head is time-stamped by an RFC 3161 authority, the token stored
    only once verified, and a forged token refused."""

    def test_r22_3_daily_head_time_stamped_by_the_authority_and_verified(self):
        self._open_case()
        before = self.authority.queries
        head = self._record_head()
        self.assertEqual(head.tsa_state, "stamped")
        self.assertEqual(self.authority.queries, before + 1)
        self.assertLess(abs(head.tsa_time - fields.Datetime.now()), timedelta(minutes=2))
        self.assertEqual(head.tsa_authority, "CN=Test TSA")
        info = head._verify_timestamp()
        self.assertEqual(info.serial, head.tsa_serial)
        token = base64.b64decode(head.tsa_token)
        self.assertEqual(timestamp.describe(token)["imprint"], head.digest)
        result = head.with_user(self.supervisor).action_verify_timestamp()
        self.assertEqual(result["params"]["type"], "success")
        # idempotent: the same day asks nobody again
        self.assertEqual(self._record_head(), head)
        self.assertEqual(self.authority.queries, before + 1)

    def test_r22_3_forged_tokens_are_refused(self):
        self._open_case()
        head = self._record_head()
        genuine = base64.b64decode(head.tsa_token)
        forgeries = {
            "signed by an authority the bureau does not trust": self._rogue_token(head.digest),
            "for another digest": self._rogue_token("ab" * 32),
            "with its time changed": self._altered_time(genuine),
            "with its signature changed": genuine[:-8] + bytes(8),
        }
        for label, token in forgeries.items():
            with self.subTest(label):
                self._set_token(head, token)
                with self.assertRaisesRegex(UserError, "not valid"):
                    head._verify_timestamp()
        # the head itself rewritten by SQL: its token no longer covers it
        self._set_token(head, genuine)
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET merkle_root = %s WHERE id = %s",
            ["cd" * 32, head.id],
        )
        head.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "does not match its own root"):
            head._verify_timestamp()

    @staticmethod
    def _altered_time(token):
        at = token.find(b"\x18\x0f")  # the GeneralizedTime of the TSTInfo
        altered = bytearray(token)
        altered[at + 5] ^= 1
        return bytes(altered)

    def test_r22_3_authority_down_keeps_the_head_and_stamps_it_later(self):
        self._open_case()
        self.authority.refuse = True
        try:
            head = self._record_head()
        finally:
            self.authority.refuse = False
        self.assertTrue(head.exists())
        self.assertEqual(head.tsa_state, "unstamped")
        self.assertIn("503", head.tsa_error)
        self.assertEqual(self._record_head(), head)
        self.assertEqual(head.tsa_state, "stamped")
        self.assertFalse(head.tsa_error)

    def test_r22_3_a_head_is_time_stamped_on_its_own_day_only(self):
        """R22.3: heads left unstamped while the authority was down are never stamped on a
        later day (a token for an old head could vouch for one rewritten since): they stay
        unstamped, the job says so on each, and the next head commits to that."""
        self._open_case()
        self.authority.refuse = True
        try:
            for days_ago in range(3, 0, -1):
                with freeze_time(fields.Date.today() - timedelta(days=days_ago)):
                    self._record_head()
        finally:
            self.authority.refuse = False
        late = self.Head.search([("tsa_state", "=", "unstamped")])
        self.assertEqual(len(late), 3)
        before = self.authority.queries
        today = self._record_head()
        self.assertEqual(self.authority.queries, before + 1, "today's head only")
        self.assertEqual(today.tsa_state, "stamped")
        self.assertEqual(today.previous_token_hash, NO_TOKEN)
        self.assertEqual(set(late.mapped("tsa_state")), {"unstamped"})
        self.assertTrue(all("its day" in error for error in late.mapped("tsa_error")))
        with self.assertRaisesRegex(UserError, "own day"):
            late[0]._stamp()
        self.assertFalse(self.Head._check_recent_heads(count=4))

    def test_r22_3_a_removed_token_is_not_restamped_and_breaks_the_next_head(self):
        """R22.3: the tokens of two stamped heads cleared by SQL and their heads set back to
        unstamped: the job stamps neither again (not their day), the next head names the
        token it committed to as removed, the Verify Log of a case says so, a stamped head
        never takes another token, and a token of another day is named."""
        case = self._open_case()
        # two real days by the authority's clock: UTC-12 and UTC+12 are a day apart
        first = self._record_head(tz="Etc/GMT+12")
        second = self._record_head(tz="Etc/GMT-12")
        self.assertEqual(second.date, first.date + timedelta(days=1))
        self.assertEqual(
            second.previous_token_hash,
            token_fingerprint(base64.b64decode(first.tsa_token)),
            "each head commits to the token of the head before it",
        )
        self.assertFalse(self.Head._check_recent_heads())
        # a head whose day is not its token's is named
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET tz = 'Etc/GMT-12' WHERE id = %s", [first.id]
        )
        self.Head.invalidate_model()
        self.assertIn("another day", first._find_head_break())
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET tz = 'Etc/GMT+12' WHERE id = %s", [first.id]
        )
        self.Head.invalidate_model()
        forged = base64.b64encode(self._rogue_token(second.digest))
        with self.assertRaisesRegex(UserError, "R22.3"):
            second._app().write({"tsa_token": forged})
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET tsa_token = NULL, tsa_time = NULL, "
            "tsa_serial = NULL, tsa_authority = NULL, tsa_state = 'unstamped' WHERE id = %s",
            [first.id],
        )
        self.Head.invalidate_model()
        before = self.authority.queries
        self._record_head(tz="Etc/GMT-12")
        self.assertEqual(self.authority.queries, before, "a head of another day is not stamped")
        self.assertFalse(first.tsa_token)
        why = self.Head._check_recent_heads()[second]
        self.assertIn("removed or replaced", why)
        verified = case.with_user(self.manager).action_verify_event_chain()["params"]
        self.assertEqual(verified["type"], "danger")
        self.assertIn("removed or replaced", verified["message"])

    def test_r22_3_token_of_an_untrusted_authority_is_not_stored(self):
        self._open_case()
        self.env["ir.config_parameter"].sudo().set_param("hr_enforcement.tsa_url", self.rogue.url)
        head = self._record_head()
        self.assertFalse(head.tsa_token)
        self.assertIn("does not chain to a trusted authority", head.tsa_error)

    def test_r22_3_head_rewritten_in_the_database_is_caught_and_managers_told(self):
        """A leaf changed alone breaks the root; a head rewritten consistently (leaves,
        root and digest recomputed) still fails its token. Both alert the managers."""
        case = self._open_case()
        head = self._record_head()
        self.assertFalse(self.Head._check_recent_heads())
        cr = self.env.cr
        cr.execute(
            "UPDATE hr_enforcement_event_leaf SET last_hash = %s "
            "WHERE head_id = %s AND case_id = %s",
            ["ab" * 32, head.id, case.id],
        )
        self.assertIn("Merkle root", self.Head._check_recent_heads()[head])
        cr.execute(
            "SELECT case_id, last_sequence, last_hash FROM hr_enforcement_event_leaf "
            "WHERE head_id = %s ORDER BY id",
            [head.id],
        )
        root = merkle_root([leaf_hash(*row) for row in cr.fetchall()])
        cr.execute(
            "UPDATE hr_enforcement_event_head SET merkle_root = %s, digest = %s WHERE id = %s",
            [root, head_digest(head.previous_digest, root, head.previous_token_hash), head.id],
        )
        head.invalidate_recordset()
        why = self.Head._check_recent_heads()[head]
        self.assertIn("time stamp is not valid", why)
        self.assertIn("another digest", why)
        alerts = head.activity_ids
        self.assertIn(self.manager, alerts.user_id)
        self.assertIn(why, alerts.mapped("note")[0] + "".join(alerts.mapped("note")))
        self.Head._check_recent_heads()
        self.assertEqual(head.activity_ids, alerts, "told once per break")

    def test_r22_3_nobody_writes_a_time_stamp(self):
        self._open_case()
        head = self._record_head()
        forged = base64.b64encode(self._rogue_token(head.digest))
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "R22.3"):
                head.with_user(user).sudo().write({"tsa_token": forged})

    def test_r22_3_supervisors_and_managers_export_heads_with_their_tokens(self):
        case = self._open_case()
        head = self._record_head()
        for user in (self.supervisor, self.manager):
            payload = head.with_user(user)._export_payload()
            exported = payload["heads"][0]
            self.assertEqual(exported["digest"], head.digest)
            self.assertEqual(
                base64.b64decode(exported["tsa_token"]), base64.b64decode(head.tsa_token)
            )
            self.assertIn(case.name, [leaf["case"] for leaf in exported["leaves"]])
        with self.assertRaises(AccessError):
            head.with_user(self.officer)._export_payload()


class TestVerifierCommand(ChainHeadCase):
    """R22.3: `tools/verify_heads.py` needs only the exported heads and a database dump;
    it says MATCH, or names the case (or head) that changed."""

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="hr_enforcement_verify_"))
        self.case = self._open_case()
        self.other = self._open_case(subject="Unpaid wages at a second site")
        Event = self.env["hr.enforcement.event"]
        # what COPY escapes: tabs, newlines, backslashes; and Chinese text
        Event._log(self.case, "viewed", description="a\tb\\c\n现场检查笔录")
        # two days by the authority's real clock: UTC-12 and UTC+12 are a day apart
        self.yesterday = self._record_head(tz="Etc/GMT+12")
        Event._log(self.case, "viewed", description="after yesterday's head")
        self.head = self._record_head(tz="Etc/GMT-12")
        self.heads_file = self.tmp / "heads.json"
        self.heads_file.write_text(
            json.dumps((self.yesterday | self.head).with_user(self.supervisor)._export_payload())
        )
        self.ca_file = self.tmp / "ca.pem"
        self.ca_file.write_text(self.authority.ca_pem)

    def _dump(self):
        """This transaction's tables in pg_dump's plain format (COPY … FROM stdin)."""
        self.env.flush_all()
        out = io.StringIO()
        for table in DUMPED_TABLES:
            self.env.cr.execute(SQL("SELECT * FROM %s LIMIT 0", SQL.identifier(table)))
            columns = ", ".join(column.name for column in self.env.cr.description)
            out.write(f"COPY public.{table} ({columns}) FROM stdin;\n")
            data = io.StringIO()
            self.env.cr._obj.copy_expert(f"COPY {table} TO STDOUT", data)
            out.write(data.getvalue())
            out.write("\\.\n\n")
        # as pg_dump ends a plain dump (the \unrestrict line since PostgreSQL 15.14)
        out.write("--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict Xy12\n\n")
        path = self.tmp / "dump.sql"
        path.write_text(out.getvalue(), encoding="utf-8")
        return path

    def _verify(self, *extra, dump=None):
        dump = dump or self._dump()
        result = subprocess.run(
            [sys.executable, str(VERIFIER), str(self.heads_file), str(dump), *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.returncode, result.stdout + result.stderr

    def _last_event_row(self, case):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM hr_enforcement_event WHERE case_id = %s ORDER BY sequence DESC LIMIT 1",
            [case.id],
        )
        return self.env.cr.dictfetchall()[0]

    def test_r22_3_a_removed_token_is_named_by_the_verifier(self):
        """R22.3: the next head commits to the token it followed: an export whose earlier
        head lost its token is a change, named on the head that committed to it."""
        export = json.loads(self.heads_file.read_text())
        export["heads"][0]["tsa_token"] = None
        self.heads_file.write_text(json.dumps(export))
        code, out = self._verify()
        self.assertEqual(code, 1, out)
        self.assertIn(
            f"CHANGED head {self.head.date}: the time stamp of the head of "
            f"{self.yesterday.date} that it commits to was removed or replaced",
            out,
        )

    def test_r22_3_untouched_database_matches(self):
        code, out = self._verify("--tsa-ca", str(self.ca_file))
        self.assertEqual(code, 0, out)
        self.assertIn("MATCH: 2 head(s)", out)
        self.assertIn("time-stamped", out)

    def test_r22_3_rewritten_tail_with_recomputed_hashes_is_named(self):
        row = self._last_event_row(self.case)
        row["description"] = "nothing happened"
        forged = event_hash(row)
        self.env.cr.execute(
            "UPDATE hr_enforcement_event SET description = %s, hash = %s WHERE id = %s",
            [row["description"], forged, row["id"]],
        )
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_chain SET last_hash = %s WHERE case_id = %s",
            [forged, self.case.id],
        )
        code, out = self._verify()
        self.assertEqual(code, 1, out)
        self.assertIn(f"CHANGED case {self.case.name}", out)
        self.assertIn("rewritten", out)
        self.assertNotIn(f"case {self.other.name}", out)

    def test_r22_3_deleted_last_event_is_named(self):
        row = self._last_event_row(self.other)
        self.env.cr.execute("DELETE FROM hr_enforcement_event WHERE id = %s", [row["id"]])
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_chain SET last_sequence = last_sequence - 1, "
            "last_hash = %s WHERE case_id = %s",
            [row["prev_hash"], self.other.id],
        )
        code, out = self._verify()
        self.assertEqual(code, 1, out)
        self.assertIn(f"CHANGED case {self.other.name}", out)
        self.assertIn("were deleted", out)

    def test_r22_3_changed_event_is_named(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_enforcement_event SET purpose = 'none' WHERE case_id = %s AND sequence = 2",
            [self.case.id],
        )
        code, out = self._verify()
        self.assertEqual(code, 1, out)
        self.assertIn(f"CHANGED case {self.case.name}", out)
        self.assertIn("event 2 was changed", out)

    def test_r22_3_head_rewritten_in_the_database_is_named(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_enforcement_event_head SET digest = %s WHERE id = %s",
            ["ef" * 32, self.yesterday.id],
        )
        code, out = self._verify()
        self.assertEqual(code, 1, out)
        self.assertIn(f"CHANGED head {self.yesterday.date}: the database holds another head", out)

    def test_r22_3_forged_export_is_refused(self):
        payload = json.loads(self.heads_file.read_text())
        token = bytearray(base64.b64decode(payload["heads"][1]["tsa_token"]))
        token[-8] ^= 1
        payload["heads"][1]["tsa_token"] = base64.b64encode(bytes(token)).decode()
        payload["heads"][0]["leaves"][0]["last_sequence"] += 1
        self.heads_file.write_text(json.dumps(payload))
        code, out = self._verify("--tsa-ca", str(self.ca_file))
        self.assertEqual(code, 1, out)
        self.assertIn(
            f"CHANGED head {self.yesterday.date}: its Merkle root does not recompute", out
        )
        self.assertIn(f"CHANGED head {self.head.date}: its time-stamp token is not valid", out)

    def _assert_unreadable(self, code, out, words):
        self.assertEqual(code, 2, out)
        self.assertNotIn("Traceback", out)
        self.assertEqual(len(out.strip().splitlines()), 1, out)
        self.assertIn(words, out)

    def test_r22_3_exports_it_cannot_read_exit_2_in_one_line(self):
        """Exit 0 only for MATCH over a non-empty export (an empty one said MATCH)."""
        for payload, words in (
            ({"heads": []}, "holds no head"),
            ({"heads": [1, 2]}, "is not a chain head"),
            ({"heads": [{"date": "2026-12-04"}]}, "digest is missing"),
            ([{"heads": []}], "no list of heads"),
        ):
            with self.subTest(payload=payload):
                self.heads_file.write_text(json.dumps(payload))
                self._assert_unreadable(*self._verify(), words)
        self.heads_file.write_text('{"heads": [')
        self._assert_unreadable(*self._verify(), "is not JSON")

    def test_r22_3_dumps_cut_short_exit_2_in_one_line(self):
        data = self._dump().read_bytes()
        complete = data.rindex(b"-- PostgreSQL database dump complete")
        mid_row = data.index(b"\n", data.index(b"COPY public.hr_enforcement_event ")) + 20
        chinese = data.index("现场检查笔录".encode()) + 1  # inside the first character
        cuts = {
            "no closing line": (data[:complete], "lacks pg_dump's closing line"),
            "mid-row": (data[:mid_row], "inside a row of hr_enforcement_event"),
            "mid-character": (data[:chinese], "cut inside a character"),
        }
        for name, (content, words) in cuts.items():
            with self.subTest(cut=name):
                path = self.tmp / f"{name}.sql"
                path.write_bytes(content)
                self._assert_unreadable(*self._verify(dump=path), words)
        gz = self.tmp / "dump.sql.gz"
        gz.write_bytes(gzip.compress(data)[:-40])
        self._assert_unreadable(*self._verify(dump=gz), "cut short or damaged")
        # a row cut short inside a dump that otherwise ends as pg_dump ends it
        row = self.tmp / "row.sql"
        row.write_bytes(data[:mid_row] + b"\n\\.\n" + data[complete:])
        self._assert_unreadable(*self._verify(dump=row), "inside a row of hr_enforcement_event")


@tagged("post_install", "-at_install")
class TestChainHeadRoutes(HttpCase, ChainHeadCase):
    """R22.3: supervisors and managers export and print heads with their tokens, without
    Odoo's generic export right; nobody else gets them."""

    def test_r22_3_supervisor_exports_and_prints_heads_others_get_404(self):
        case = self._open_case()
        head = self._record_head()
        self.assertFalse(self.supervisor.has_group("base.group_allow_export"))
        # the URLs that the form's buttons and the list's actions open
        export = head.with_user(self.supervisor).action_export_heads()["url"]
        action = head.with_user(self.supervisor).action_print_heads()
        self.assertEqual(action["type"], "ir.actions.report", "the Print menu's report")
        printed = f"/report/pdf/{action['report_name']}/{head.id}"
        self.authenticate("supervisor", "supervisor")
        response = self.url_open(export)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        payload = response.json()
        self.assertEqual(payload["heads"][0]["tsa_token"], head.tsa_token.decode())
        self.assertIn(case.name, response.text)
        page = self.url_open(printed)
        self.assertEqual(page.status_code, 200)
        text = pdf_text(page.content)
        self.assertIn(head.digest, text)
        self.assertIn(head.tsa_token.decode()[:60], text)
        self.authenticate("officer1", "officer1")
        for url in (export, "/hr_enforcement/heads/export?ids=x"):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        # a head the officer may not read is answered as one that does not exist
        refused = self.url_open(printed)
        missing = self.url_open(f"/report/pdf/{action['report_name']}/{head.id + 1000}")
        self.assertNotEqual(refused.status_code, 200)
        self.assertEqual(refused.status_code, missing.status_code)
        self.assertNotIn(head.digest, refused.text)
        self.authenticate("manager", "manager")
        self.assertEqual(self.url_open(export).status_code, 200)
        # the printout speaks the reader's language
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["hr_enforcement_record"], ["zh_CN"])
        self.manager.lang = "zh_CN"
        self.authenticate("manager", "manager")
        page = pdf_text(self.url_open(printed).content)
        self.assertIn("时间戳令牌", page)
        self.assertIn("默克尔根", page)
