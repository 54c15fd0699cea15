# ruff: noqa: F821  (`env` is given by odoo-bin shell)
"""Run inside `odoo-bin shell` (see archive_benchmark.sh). Generates cases with SQL, then
measures side by side, with the same 1,000 cases due: the archiving-deadline job with
10,000 and with 1,000,000 cases, and the managers' pivot over all cases. Prints the query
plans of the job's selection. Every run is rolled back, so both see the same due set."""

import threading
import time

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

DUE = 1000
cr = env.cr
Case = env["hr.enforcement.case"]
company = env.company
department = env["hr.department"].create({"name": "Benchmark department"})
user = env["res.users"].create({"name": "Bench officer", "login": "bench_officer"})
employee = env["hr.employee"].create(
    {"name": "Bench officer", "user_id": user.id, "department_id": department.id}
)
env.flush_all()


def insert_cases(count, due):
    """`count` cases by SQL: `due` of them ended 28 days ago and still to archive, the
    others archived long ago."""
    cr.execute(
        SQL(
            """
            INSERT INTO hr_enforcement_case
                (name, company_id, department_id, enforcement_type, stage, origin, subject,
                 handler_id, reviewer_id, approver_id, date_received, date_ended,
                 archive_deadline, archived, archived_on, archived_on_time, confidentiality,
                 create_uid, create_date, write_uid, write_date)
            SELECT 'BENCH-' || n, %(company)s, %(department)s,
                   (ARRAY['penalty', 'inspection', 'licensing'])[1 + mod(n, 3)],
                   CASE WHEN n <= %(due)s THEN 'archiving' ELSE 'closed' END,
                   'ex_officio', 'Benchmark case ' || n,
                   %(employee)s, %(employee)s, %(employee)s,
                   current_date - 400 + mod(n, 300), current_date - 28,
                   CASE WHEN n <= %(due)s THEN current_date + 2
                        ELSE current_date - 300 + mod(n, 200) END,
                   n > %(due)s,
                   CASE WHEN n > %(due)s THEN current_date - 300 END,
                   CASE WHEN n > %(due)s AND mod(n, 10) <> 0 THEN 100 ELSE 0 END,
                   'internal', 1, now(), 1, now()
              FROM generate_series(%(start)s, %(stop)s) AS n
            """,
            company=company.id,
            department=department.id,
            employee=employee.id,
            due=due,
            start=cr_count() + 1,
            stop=count,
        )
    )
    cr.execute("ANALYZE hr_enforcement_case")


def cr_count():
    cr.execute("SELECT count(*) FROM hr_enforcement_case WHERE left(name, 6) = 'BENCH-'")
    return cr.fetchone()[0]


def run_job():
    """The whole job as the cron runner would call it: batches until nothing is left.
    Returns (seconds, queries, batches); rolled back afterwards."""
    cr.execute("SAVEPOINT bench")
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    batches = 0
    while True:
        cr.execute(Case._archive_pending_sql("count(*)"))
        if not cr.fetchone()[0]:
            break
        Case._cron_archive_deadlines(batch_size=200)
        env.flush_all()
        batches += 1
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries_before
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    return elapsed, queries, batches


def plan():
    cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) %s",
            Case._archive_pending_sql("id, milestone", 200),
        )
    )
    return "\n".join("      " + row[0] for row in cr.fetchall())


def pivot():
    """What the managers' pivot asks: cases by type x stage and by department."""
    start = time.perf_counter()
    Case.with_context(active_test=False).read_group(
        [], ["archived_on_time:avg"], ["enforcement_type", "stage"], lazy=False
    )
    Case.read_group([], ["archived_on_time:avg"], ["department_id"], lazy=False)
    return time.perf_counter() - start


results = {}
for total in (10_000, 1_000_000):
    started = time.perf_counter()
    insert_cases(total, DUE)
    print(f"generated {total:,} cases in {time.perf_counter() - started:.1f} s", flush=True)
    run_job()  # warm caches
    results[total] = run_job()
    seconds, queries, batches = results[total]
    print(
        f"\n{total:>9,} cases, {DUE} due: job {seconds:.2f} s, {queries} queries, {batches} batches"
    )
    print("    selection plan:")
    print(plan())
    pivot()
    print(f"    managers' pivot over {total:,} cases: {pivot():.2f} s")

small, large = results[10_000][0], results[1_000_000][0]
print(f"\njob cost with 1,000,000 cases / with 10,000 cases: {large / small:.2f}x (target <= 2x)")


def worker(name, counts):
    """A cron worker: its own connection, a commit after each batch; a batch that collides
    with the other worker (serialization failure) is rolled back and retried, as Odoo's
    runner does."""
    with env.registry.cursor() as wcr:
        wenv = api.Environment(wcr, SUPERUSER_ID, {})
        batches = retries = 0
        while True:
            try:
                _done, remaining = wenv["hr.enforcement.case"]._cron_archive_deadlines(
                    batch_size=50
                )
                wcr.commit()
            except psycopg2.errors.SerializationFailure:
                wcr.rollback()
                wenv.invalidate_all()
                retries += 1
                continue
            batches += 1
            if not remaining:
                break
        counts[name] = {"batches": batches, "retries": retries}


# Two workers at once on the committed data: every reminder sent once.
cr.commit()
counts = {}
threads = [threading.Thread(target=worker, args=(n, counts)) for n in ("A", "B")]
start = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start
cr.execute(
    "SELECT count(*), count(DISTINCT res_id) FROM hr_enforcement_deadline_notice "
    "WHERE kind = 'archive'"
)
notices, cases = cr.fetchone()
cr.execute(
    "SELECT count(*), count(DISTINCT res_id) FROM mail_activity "
    "WHERE res_model = 'hr.enforcement.case' AND summary LIKE '%%R18.1%%'"
)
activities, activity_cases = cr.fetchone()
print(
    f"two workers together: {elapsed:.2f} s, batches {counts}; {notices} notices for {cases} "
    f"cases, {activities} reminder activities for {activity_cases} cases (each sent once: "
    f"{'yes' if notices == cases == activities == DUE else 'NO'})"
)
