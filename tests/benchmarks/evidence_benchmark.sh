#!/usr/bin/env bash
# Benchmark of the evidence upload path (issue: evidence that holds up in court).
# Prints, side by side in one run: peak RSS growth of the Odoo server while ingesting a 1 GiB
# file through /hr_enforcement/evidence/upload, the same for stock Odoo's attachment upload
# of 100 MiB, and hashing throughput against sha256sum on the same file.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
prepare
db=hr_enforcement_bench
export BENCH_DB=$db
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_record --stop-after-init --log-level=warn
odoo_base_args
odoo_args=("${ODOO_ARGS[@]}" -d "$db")
odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/evidence_fixture.py" > "$REPO_DIR/.local/bench_fixture.txt"
export BENCH_RECORD_ID=$(grep -oE 'AV_RECORD_ID=[0-9]+' "$REPO_DIR/.local/bench_fixture.txt" | cut -d= -f2)
export BENCH_API_KEY=$(grep -oE 'API_KEY=[0-9a-f]+' "$REPO_DIR/.local/bench_fixture.txt" | cut -d= -f2)
[ -n "$BENCH_RECORD_ID" ] || die "fixture failed: $(cat "$REPO_DIR/.local/bench_fixture.txt")"
"$PYTHON" "$REPO_DIR/tests/benchmarks/evidence_benchmark.py" "$PYTHON" "$ODOO_SRC/odoo-bin" "${odoo_args[@]}"
drop_db "$db"
