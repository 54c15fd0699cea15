#!/usr/bin/env bash
# Benchmark of the archiving-deadline job and the managers' pivot (issue: archiving on time).
# Prints, side by side in one run, the job's cost with 10,000 and with 1,000,000 cases and
# the same 1,000 due, its query plans, and the pivot's time over all cases.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
prepare
db=hr_enforcement_archive_bench
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_archive --without-demo=all --stop-after-init --log-level=warn
odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/archive_benchmark.py"
[ -n "${BENCH_KEEP:-}" ] || drop_db "$db"
