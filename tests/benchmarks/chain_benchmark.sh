#!/usr/bin/env bash
# Benchmark of the event-log proofs (issue: integrity that proves itself to an outsider).
# Prints, side by side in one run over 10,000 cases x 50 events: the daily head job (leaves,
# Merkle root, RFC 3161 time stamp from a local openssl authority), the scheduled
# verification of every case's log, and the outsider's verifier on a pg_dump; then
# tampers with one case and shows who names it.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
prepare
db=hr_enforcement_chain_bench
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_archive --without-demo=all --stop-after-init --log-level=warn
export BENCH_DB="$db" BENCH_VERIFIER="$REPO_DIR/hr_enforcement_record/tools/verify_heads.py"
odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/chain_benchmark.py"
[ -n "${BENCH_KEEP:-}" ] || drop_db "$db"
