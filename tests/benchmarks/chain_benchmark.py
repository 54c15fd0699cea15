# ruff: noqa: F821  (`env` is given by odoo-bin shell)
"""Run inside `odoo-bin shell` (see chain_benchmark.sh). Generates 10,000 cases with 50
chained events each by SQL (hashes computed as the application does), commits, then
measures side by side: the daily head job with its RFC 3161 stamp, the scheduled
verification of every log, and the outsider's verifier on a pg_dump. Finally rewrites
one case's tail with recomputed hashes and deletes another's last event, and shows that
both the scheduled verification and the verifier name exactly those cases."""

import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from odoo.tools import SQL

from odoo.addons.hr_enforcement_record.tools.chain_proof import GENESIS, event_hash

# the tests' local authority, loaded alone (importing the tests package needs test mode)
_spec = importlib.util.spec_from_file_location(
    "tsa_authority",
    Path(os.environ["BENCH_VERIFIER"]).parent.parent / "tests" / "tsa_authority.py",
)
tsa_authority = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tsa_authority)

CASES, EVENTS = 10_000, 50
cr = env.cr
Event = env["hr.enforcement.event"]
Head = env["hr.enforcement.event.head"]
tmp = Path(tempfile.mkdtemp(prefix="hr_enforcement_chain_bench_"))

department = env["hr.department"].create({"name": "Benchmark department"})
user = env["res.users"].create({"name": "Bench officer", "login": "bench_officer"})
employee = env["hr.employee"].create(
    {"name": "Bench officer", "user_id": user.id, "department_id": department.id}
)
env.flush_all()
started = time.perf_counter()
cr.execute(
    SQL(
        """
        INSERT INTO hr_enforcement_case
            (name, company_id, department_id, enforcement_type, stage, origin, subject,
             handler_id, reviewer_id, approver_id, date_received, confidentiality,
             create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH-' || n, %(company)s, %(department)s, 'inspection', 'investigation',
               'ex_officio', 'Benchmark case ' || n, %(employee)s, %(employee)s, %(employee)s,
               current_date - 30, 'internal', 1, now(), 1, now()
          FROM generate_series(1, %(count)s) AS n
        RETURNING id
        """,
        company=env.company.id,
        department=department.id,
        employee=employee.id,
        count=CASES,
    )
)
case_ids = sorted(row[0] for row in cr.fetchall())
COLUMNS = (
    "case_id", "company_id", "sequence", "event_type", "res_model", "res_id", "description",
    "purpose", "user_id", "timestamp", "remote_addr", "origin_model", "origin_id",
    "prev_hash", "hash", "hash_version", "confidentiality",
)  # fmt: skip
base = datetime(2026, 11, 1, 8, 0, 0)


def copy_value(value):
    if value is None or value is False:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


for chunk in range(0, CASES, 1000):
    out = io.StringIO()
    for case_id in case_ids[chunk : chunk + 1000]:
        prev = GENESIS
        for sequence in range(1, EVENTS + 1):
            row = {
                "case_id": case_id,
                "company_id": env.company.id,
                "sequence": sequence,
                "event_type": "created" if sequence == 1 else "viewed",
                "res_model": "hr.enforcement.case",
                "res_id": case_id,
                "description": f"Benchmark event {sequence}",
                "purpose": "Benchmark",
                "user_id": user.id,
                "timestamp": (base + timedelta(seconds=case_id * EVENTS + sequence)).strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
                "remote_addr": "127.0.0.1",
                "origin_model": None,
                "origin_id": 0,
                "prev_hash": prev,
                "hash_version": 2,
                "confidentiality": "internal",
            }
            row["hash"] = prev = event_hash(row)
            out.write("\t".join(copy_value(row[column]) for column in COLUMNS) + "\n")
    out.seek(0)
    cr._obj.copy_expert(f"COPY hr_enforcement_event ({', '.join(COLUMNS)}) FROM STDIN", out)
cr.execute(
    """
    INSERT INTO hr_enforcement_event_chain (case_id, last_sequence, last_hash)
    SELECT DISTINCT ON (case_id) case_id, sequence, hash FROM hr_enforcement_event
     ORDER BY case_id, sequence DESC
    ON CONFLICT (case_id) DO NOTHING
    """
)
cr.execute("ANALYZE hr_enforcement_event")
cr.commit()
cr.execute("SELECT count(*) FROM hr_enforcement_event")
total_events = cr.fetchone()[0]
print(
    f"generated {CASES:,} cases, {total_events:,} events in {time.perf_counter() - started:.1f} s",
    flush=True,
)

authority = tsa_authority.LocalTimestampAuthority("Benchmark TSA").start()
params = env["ir.config_parameter"].sudo()
params.set_param("hr_enforcement.tsa_url", authority.url)
params.set_param("hr_enforcement.tsa_certificates", authority.ca_pem)
(tmp / "ca.pem").write_text(authority.ca_pem)


def measured(function):
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = function()
    env.flush_all()
    return result, time.perf_counter() - start, cr.sql_log_count - queries


def verify_all():
    """The scheduled verification as the cron runner runs it: batch after batch, each
    committed, until no case is left."""
    named, batches = {}, 0
    while True:
        broken, remaining = Event._cron_verify_chains()
        cr.commit()
        named.update({case.name: why for case, why in broken.items()})
        batches += 1
        if not remaining:
            return named, batches


def verifier(heads_file, dump_file):
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, os.environ["BENCH_VERIFIER"], str(heads_file), str(dump_file),
         "--tsa-ca", str(tmp / "ca.pem")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result, time.perf_counter() - start


def pg_dump(name):
    path = tmp / name
    start = time.perf_counter()
    subprocess.run(["pg_dump", "-Fc", "-f", str(path), os.environ["BENCH_DB"]], check=True)
    return path, time.perf_counter() - start


head, head_seconds, head_queries = measured(Head._cron_record_head)
cr.commit()
print(f"head stamped: {head.tsa_state}, {head.case_count:,} leaves, {head.tsa_authority}")
(named, batches), verify_seconds, verify_queries = measured(verify_all)
heads_file = tmp / "heads.json"
heads_file.write_text(json.dumps(head._export_payload()))
dump, dump_seconds = pg_dump("clean.dump")
clean, verifier_seconds = verifier(heads_file, dump)

print("\n                                           time      queries")
print(f"daily head job (10,000 leaves + stamp)  {head_seconds:7.2f} s  {head_queries:>9,}")
print(
    f"daily verification of every log         {verify_seconds:7.2f} s  {verify_queries:>9,}"
    f"   ({batches} batches of 500 cases)"
)
print(f"pg_dump -Fc                             {dump_seconds:7.2f} s")
print(f"verify_heads.py heads + dump            {verifier_seconds:7.2f} s")
print(f"verification / head job: {verify_seconds / head_seconds:.1f}x")
print(f"verifier on the untouched dump: {clean.stdout.strip().splitlines()[-1]}")
print(f"scheduled verification, untouched: {len(named)} case(s) named")

# the faults: a tail rewritten with recomputed hashes, a last event deleted
rewritten, deleted = case_ids[4321], case_ids[8765]
cr.execute(
    "SELECT * FROM hr_enforcement_event WHERE case_id = %s ORDER BY sequence DESC LIMIT 1",
    [rewritten],
)
row = cr.dictfetchall()[0]
row["description"] = "nothing happened"
forged = event_hash(row)
cr.execute(
    "UPDATE hr_enforcement_event SET description = %s, hash = %s WHERE id = %s",
    [row["description"], forged, row["id"]],
)
cr.execute(
    "UPDATE hr_enforcement_event_chain SET last_hash = %s WHERE case_id = %s", [forged, rewritten]
)
cr.execute(
    "DELETE FROM hr_enforcement_event WHERE case_id = %s AND sequence = %s", [deleted, EVENTS]
)
cr.commit()
named, _batches = verify_all()
dump, _seconds = pg_dump("tampered.dump")
tampered, _seconds = verifier(heads_file, dump)
print(
    "\nfaults injected: BENCH-4322 tail rewritten with recomputed hashes, "
    "BENCH-8766 last event deleted"
)
for name, why in sorted(named.items()):
    print(f"  scheduled verification names {name}: {why}")
for line in tampered.stdout.strip().splitlines():
    print(f"  verifier: {line}")
authority.stop()
