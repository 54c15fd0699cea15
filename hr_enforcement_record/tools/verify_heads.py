#!/usr/bin/env python3
"""Verify a database dump against exported daily chain heads, outside Odoo (R22.3).

    python3 verify_heads.py HEADS.json DUMP [--tsa-ca CA.pem]
    python3 verify_heads.py HEADS.json PACKAGE [--tsa-ca CA.pem]

HEADS.json is what *Daily Chain Heads → Export for Verification* gives; DUMP is a
`pg_dump` of the bureau's database, plain SQL (optionally .gz) or custom format (read with
`pg_restore`). With --tsa-ca, every head's RFC 3161 token must verify under that
authority. Prints MATCH and exits 0 when every case's log in the dump is the one the heads
saw; otherwise names each case (and head) that changed and exits 1; exits 2, with one line
and never a traceback, when an input cannot be read: an export of another shape or with no
head, a dump cut short (a plain dump without pg_dump's closing line, a row or a character
cut in half, a truncated .gz) or one that holds no enforcement event. Needs Python 3 only
(and asn1crypto + cryptography for --tsa-ca).

PACKAGE is the unpacked transfer package of a case file (a BagIt bag: its
data/log/events.json): its case's log is checked against the heads as in a dump; the other
cases of the heads are not in it and are not looked for."""

import argparse
import base64
import gzip
import json
import re
import subprocess
import sys
import tempfile
from datetime import timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chain_proof import (
    EVENT_COLUMNS,
    GENESIS,
    INTEGER_COLUMNS,
    event_hash,
    head_digest,
    leaf_hash,
    merkle_root,
    token_fingerprint,
)

TABLES = (
    "hr_enforcement_event",
    "hr_enforcement_event_chain",
    "hr_enforcement_event_head",
    "hr_enforcement_case",
)
# the last line pg_dump writes in plain format: without it the dump was cut short
DUMP_COMPLETE = "-- PostgreSQL database dump complete"
HEAD_KEYS = {"date": str, "digest": str, "merkle_root": str, "leaves": list}
LEAF_KEYS = {"case_id": int, "last_sequence": int, "last_hash": str}
COPY_RE = re.compile(r"^COPY (?:\w+\.)?(\w+) \(([^)]*)\) FROM stdin;$")
ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
PACKAGE_LOG_FORMAT = "hr_enforcement.case_log/1"
ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")


class Unreadable(Exception):
    """An input the verifier cannot read: it says so in one line and exits 2."""


def say(line, stream=sys.stdout):
    """The verifier's output (a command: its report is its standard output)."""
    stream.write(f"{line}\n")


def unescape(value):
    """A field of PostgreSQL's COPY text format, as a str (None for \\N)."""
    if value == r"\N":
        return None
    if "\\" not in value:
        return value

    def one(match):
        code = match.group(1)
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0].isdigit():
            return chr(int(code, 8))
        return ESCAPES.get(code, code)

    return ESCAPE_RE.sub(one, value)


def dump_lines(path):
    """Lines of the dump's COPY data for our tables, whatever the dump's format."""
    with open(path, "rb") as probe:
        magic = probe.read(5)
    if magic == b"PGDMP":
        args = ["pg_restore", "--data-only", "-f", "-"]
        for table in TABLES:
            args += ["-t", table]
        with tempfile.TemporaryFile("w+") as errors:  # a file: a pipe could fill and block
            process = subprocess.Popen(
                [*args, str(path)], stdout=subprocess.PIPE, stderr=errors, text=True
            )
            yield from process.stdout
            if process.wait():
                errors.seek(0)
                said = errors.read().strip().splitlines()
                reason = f" ({said[-1]})" if said else ""
                raise Unreadable(f"pg_restore could not read {path}{reason}")
        return
    opener = gzip.open if magic[:2] == b"\x1f\x8b" else open
    # pg_dump's closing line, followed by nothing but comments and (since PostgreSQL's
    # August 2025 releases) the \unrestrict line that ends the dump's psql restriction
    complete = False
    try:
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                stripped = line.strip()
                if stripped == DUMP_COMPLETE:
                    complete = True
                elif stripped and not stripped.startswith(("--", "\\unrestrict ")):
                    complete = False
                yield line
    except (EOFError, gzip.BadGzipFile) as exc:
        raise Unreadable(f"{path} is cut short or damaged ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path} is not UTF-8 text or is cut inside a character") from exc
    if not complete:
        raise Unreadable(f"{path} is cut short: it lacks pg_dump's closing line")


def read_dump(path):
    """(table, row as a dict of str) for every row of our tables in the dump, in one pass."""
    table, columns = None, None
    for line in dump_lines(path):
        line = line.rstrip("\n")
        if table is None:
            match = COPY_RE.match(line)
            if match and match.group(1) in TABLES:
                table = match.group(1)
                columns = [name.strip().strip('"') for name in match.group(2).split(",")]
            continue
        if line == "\\.":
            table = None
            continue
        values = [unescape(value) for value in line.split("\t")]
        if len(values) != len(columns):
            raise Unreadable(f"{path} is cut short inside a row of {table}")
        yield table, dict(zip(columns, values, strict=True))
    if table is not None:
        raise Unreadable(f"{path} is cut short inside the data of {table}")


def read_export(path):
    """The exported heads, refused unless they have the shape the export gives."""
    try:
        export = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unreadable(f"{path} is not JSON ({exc})") from exc
    heads = export.get("heads") if isinstance(export, dict) else None
    if not isinstance(heads, list):
        raise Unreadable(f"{path} is not an export of daily chain heads (no list of heads)")
    if not heads:
        raise Unreadable(f"{path} holds no head: there is nothing to verify against")
    for number, head in enumerate(heads, 1):
        wrong = _wrong_keys(head, HEAD_KEYS)
        for leaf in [] if wrong else head["leaves"]:
            wrong = wrong or _wrong_keys(leaf, LEAF_KEYS)
        if wrong:
            raise Unreadable(f"{path}: head {number} is not a chain head ({wrong})")
    return export


def _wrong_keys(item, keys):
    """What is missing or of the wrong type in the dict `item`, or None."""
    if not isinstance(item, dict):
        return "not an object"
    for key, kind in keys.items():
        if not isinstance(item.get(key), kind):
            return f"{key} is missing or not a {kind.__name__}"
    return None


def typed_event(row):
    event = {}
    for key in EVENT_COLUMNS + ("case_id", "sequence"):
        value = row.get(key)
        event[key] = int(value) if key in INTEGER_COLUMNS and value is not None else value
    return event


class Verifier:
    def __init__(self, heads_path, dump_path, tsa_ca=None):
        self.export = read_export(heads_path)
        self.dump_path = dump_path
        self.tsa_ca = tsa_ca
        self.changes = []  # (what, why)
        self.package = False
        self.notes = []
        self.names = {}
        for head in self.export["heads"]:
            for leaf in head["leaves"]:
                self.names[leaf["case_id"]] = leaf["case"]

    def case_label(self, case_id):
        name = self.names.get(case_id)
        return f"case {name} (id {case_id})" if name else f"case id {case_id}"

    def changed(self, what, why):
        self.changes.append((what, why))

    # -------------------------------------------------------------- the heads alone

    def check_heads(self):
        by_date = {head["date"]: head for head in self.export["heads"]}
        for head in self.export["heads"]:
            label = f"head {head['date']}"
            leaves = [
                leaf_hash(leaf["case_id"], leaf["last_sequence"], leaf["last_hash"])
                for leaf in head["leaves"]
            ]
            if merkle_root(leaves) != head["merkle_root"]:
                self.changed(label, "its Merkle root does not recompute from its leaves")
            committed = head.get("previous_token_hash")
            digest = head_digest(head["previous_digest"], head["merkle_root"], committed)
            if digest != head["digest"]:
                self.changed(label, "its digest does not recompute from its root")
            previous = by_date.get(head.get("previous_date"))
            if previous and previous["digest"] != head["previous_digest"]:
                self.changed(label, f"it does not chain to the head of {previous['date']}")
            if previous and previous.get("previous_token_hash") and not committed:
                self.changed(label, "it no longer commits to the time stamp before it")
            if previous and committed:
                token = base64.b64decode(previous.get("tsa_token") or "")
                if token_fingerprint(token) != committed:
                    self.changed(
                        label,
                        f"the time stamp of the head of {previous['date']} that it commits "
                        "to was removed or replaced",
                    )
            self.check_token(head, label)

    def check_token(self, head, label):
        if not self.tsa_ca:
            return
        from timestamp import TimestampError, verify_token

        if not head.get("tsa_token"):
            self.changed(label, "it carries no time-stamp token")
            return
        try:
            info = verify_token(base64.b64decode(head["tsa_token"]), head["digest"], self.tsa_ca)
        except TimestampError as exc:
            self.changed(label, f"its time-stamp token is not valid: {exc}")
            return
        zone = head.get("timezone")
        try:
            zone = ZoneInfo(zone) if zone else None
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise Unreadable(f"{label}: unknown time zone {head.get('timezone')!r}") from exc
        if (
            zone
            and info.gen_time.replace(tzinfo=timezone.utc).astimezone(zone).date().isoformat()
            != head["date"]
        ):
            self.changed(label, f"it was time-stamped on another day ({info.gen_time} UTC)")
            return
        self.notes.append(f"{label}: time-stamped {info.gen_time} UTC by {info.authority}")

    # -------------------------------------------------------------- against the dump

    def read_dump(self):
        chains, db_heads, counters = {}, {}, {"events": 0}
        self.counted = {}
        for table, row in self.rows():
            if table == "hr_enforcement_event":
                event = typed_event(row)
                counters["events"] += 1
                chains.setdefault(event["case_id"], []).append(
                    (
                        event["sequence"],
                        event["prev_hash"],
                        event["hash"],
                        event_hash(event) == event["hash"],
                    )
                )
            elif table == "hr_enforcement_event_chain":
                self.counted[int(row["case_id"])] = int(row["last_sequence"])
            elif table == "hr_enforcement_event_head":
                db_heads[row["date"]] = row
            elif table == "hr_enforcement_case":
                # the dump names the cases an export left unnamed (need-to-know)
                self.names[int(row["id"])] = self.names.get(int(row["id"])) or row.get("name")
        return chains, db_heads, counters["events"]

    def rows(self):
        """(table, row) of the dump, or of the package's log."""
        log = Path(self.dump_path, "data", "log", "events.json")
        if not Path(self.dump_path).is_dir():
            yield from read_dump(self.dump_path)
            return
        self.package = True
        try:
            content = json.loads(log.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Unreadable(f"{self.dump_path} is not a transfer package ({exc})") from exc
        if not isinstance(content, dict) or content.get("format") != PACKAGE_LOG_FORMAT:
            raise Unreadable(f"{log} is not the log of a transfer package")
        self.names[content["case_id"]] = content.get("case")
        yield (
            "hr_enforcement_event_chain",
            {
                "case_id": content["case_id"],
                "last_sequence": content["counted"],
            },
        )
        for event in content["events"]:
            yield "hr_enforcement_event", event

    def check_dump(self):
        chains, db_heads, events = self.read_dump()
        if not events and not db_heads:
            raise Unreadable(f"{self.dump_path} holds no enforcement event (is it a pg_dump?)")
        for head in [] if self.package else self.export["heads"]:
            stored = db_heads.get(head["date"])
            if not stored:
                self.changed(f"head {head['date']}", "it is missing from the database")
            elif (
                stored["digest"] != head["digest"]
                or stored.get("merkle_root") != head["merkle_root"]
            ):
                self.changed(f"head {head['date']}", "the database holds another head")
        # where each head saw each case's chain, the latest first
        seen = {}
        for head in self.export["heads"]:
            for leaf in head["leaves"]:
                seen.setdefault(leaf["case_id"], []).append((head["date"], leaf))
        # a package holds one case: the heads' other cases are not in it
        for case_id in sorted(set(chains) if self.package else set(chains) | set(seen)):
            if self.package and case_id not in seen:
                self.changed(
                    self.case_label(case_id), "no head saw its log: nothing vouches for it"
                )
            self.check_case(case_id, sorted(chains.get(case_id, [])), seen.get(case_id, []))
        return len(chains), events

    def check_case(self, case_id, chain, seen):
        label = self.case_label(case_id)
        by_sequence = {}
        expected_prev, expected_seq = GENESIS, 1
        for sequence, prev_hash, chain_hash, intact in chain:
            if sequence != expected_seq:
                self.changed(label, f"event {expected_seq} is missing")
                break
            if prev_hash != expected_prev or not intact:
                self.changed(label, f"event {sequence} was changed")
                break
            by_sequence[sequence] = chain_hash
            expected_prev, expected_seq = chain_hash, expected_seq + 1
        else:
            counted = self.counted.get(case_id, 0)
            if counted > len(chain):
                self.changed(
                    label, f"events after {len(chain)} were deleted (the log counted {counted})"
                )
                return
            for day, leaf in seen:
                if leaf["last_sequence"] not in by_sequence:
                    self.changed(
                        label,
                        f"events up to {leaf['last_sequence']}, seen by the head of {day}, "
                        "were deleted",
                    )
                    return
                if by_sequence[leaf["last_sequence"]] != leaf["last_hash"]:
                    self.changed(
                        label,
                        f"its log no longer passes through event {leaf['last_sequence']} as "
                        f"the head of {day} saw it (rewritten)",
                    )
                    return

    def run(self):
        self.check_heads()
        cases, events = self.check_dump()
        for note in self.notes:
            say(note)
        if not self.tsa_ca:
            say("time-stamp tokens NOT checked: give --tsa-ca to check them")
        if self.changes:
            for what, why in self.changes:
                say(f"CHANGED {what}: {why}")
            say(f"{len(self.changes)} change(s) found; {cases} cases, {events} events read")
            return 1
        heads = len(self.export["heads"])
        say(f"MATCH: {heads} head(s), {cases} cases, {events} events")
        return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("heads", help="the exported chain heads (JSON)")
    parser.add_argument(
        "dump",
        help="pg_dump of the database (plain, .gz or custom format), or the folder of an "
        "unpacked transfer package",
    )
    parser.add_argument("--tsa-ca", help="PEM of the time-stamping authority's root")
    args = parser.parse_args(argv)
    try:
        tsa_ca = Path(args.tsa_ca).read_text() if args.tsa_ca else None
        return Verifier(args.heads, args.dump, tsa_ca).run()
    except (Unreadable, OSError) as exc:
        say(f"cannot read: {exc}", sys.stderr)
        return 2
    except (ValueError, KeyError, TypeError) as exc:  # a dump of another schema
        say(f"cannot read: unexpected content ({type(exc).__name__}: {exc})", sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
