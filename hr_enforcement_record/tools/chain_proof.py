"""What an event chain and its daily heads are, in plain Python (R22.3).

Odoo's models and the outsider's verifier (`verify_heads.py`) compute hashes with these
functions alone, so that both always agree; nothing here imports Odoo."""

import hashlib
import json
from datetime import datetime

GENESIS = "0" * 64
HASH_VERSION = 2
# what each version of an event's hash covers; a version is never changed once released
HASHED_FIELDS = {
    1: (
        "case_id",
        "sequence",
        "event_type",
        "res_model",
        "res_id",
        "description",
        "purpose",
        "user_id",
        "remote_addr",
        "prev_hash",
    ),
}
HASHED_FIELDS[2] = HASHED_FIELDS[1] + ("hash_version", "origin_model", "origin_id")
# the columns of hr_enforcement_event that `event_hash` reads (integers as such)
EVENT_COLUMNS = HASHED_FIELDS[2] + ("timestamp", "hash")
INTEGER_COLUMNS = frozenset(
    {"case_id", "sequence", "res_id", "user_id", "hash_version", "origin_id"}
)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def event_hash(row):
    """SHA-256 (hex) of one event: its hashed fields and timestamp, chained through
    `prev_hash`. `row` maps column names to values as the database holds them."""
    version = row.get("hash_version") or 1
    payload = {key: row.get(key) or "" for key in HASHED_FIELDS[version]}
    stamp = row["timestamp"]
    if isinstance(stamp, datetime):
        stamp = stamp.strftime(TIMESTAMP_FORMAT)
    payload["timestamp"] = stamp[:19]
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def first_break(rows):
    """The first event (a row of `rows`, ordered by sequence) whose number, link or content
    no longer matches its chain, or None when the chain holds."""
    expected_prev, expected_seq = GENESIS, 1
    for row in rows:
        if (
            row["sequence"] != expected_seq
            or row["prev_hash"] != expected_prev
            or event_hash(row) != row["hash"]
        ):
            return row
        expected_prev, expected_seq = row["hash"], expected_seq + 1
    return None


def leaf_hash(case_id, sequence, chain_hash):
    """A daily head's leaf: where one case's chain stood that day."""
    return hashlib.sha256(f"{case_id}:{sequence}:{chain_hash}".encode()).hexdigest()


def merkle_root(leaves):
    """Root of a binary Merkle tree over hex leaf hashes (an odd node is carried up)."""
    level = [bytes.fromhex(leaf) for leaf in leaves]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        pairs = [level[i : i + 2] for i in range(0, len(level), 2)]
        level = [
            hashlib.sha256(b"".join(pair)).digest() if len(pair) == 2 else pair[0] for pair in pairs
        ]
    return level[0].hex()


NO_TOKEN = "none"


def head_digest(previous, root, previous_token=None):
    """A daily head's digest: its Merkle root chained with the day before's digest and,
    for heads that carry it, the fingerprint of the day before's time-stamp token
    (`NO_TOKEN` when that head was not stamped): removing or replacing a token breaks the
    next head. This is what the time-stamping authority signs (a SHA-256 imprint)."""
    if previous_token is None:  # heads recorded before the token was committed to
        return hashlib.sha256(f"{previous or ''}:{root}".encode()).hexdigest()
    return hashlib.sha256(f"{previous or ''}:{root}:{previous_token}".encode()).hexdigest()


def token_fingerprint(token_der):
    """SHA-256 (hex) of a DER time-stamp token, or `NO_TOKEN`."""
    return hashlib.sha256(token_der).hexdigest() if token_der else NO_TOKEN
