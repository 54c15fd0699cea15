#!/usr/bin/env bash
# Benchmark of uploads under production Odoo (issue: field uploads that survive the network
# and production Odoo). Starts Odoo with --workers=4 --max-cron-threads=1 and the default
# limits, and prints side by side in one run: a 4 GiB resumable upload over a simulated
# 100 Mbit/s field link with the connection cut three times (completes, byte-identical, peak
# RSS growth per worker); the single request of the same file over the same link (killed at
# limit_time_real); 20 clients uploading 200 MiB each at once against one client alone; and
# 200 concurrent users reading case lists and forms, without and with uploads running.
# Traffic stays on the loopback. LINK_MBIT (100), BIG_MIB (4096), READ_SECONDS (30), READERS
# (200) and THINK_SECONDS (2: a reader's pause between pages; 0 is a stress test) change the
# load; BENCH_ONLY_READERS=1 runs the last phase alone. The run takes about 15 minutes and
# 13 GiB of disk.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
prepare
db=hr_enforcement_prod_bench
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_archive --stop-after-init --log-level=warn --load-language=zh_CN
odoo_base_args
fixture=$(odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/production_fixture.py")
export BENCH_DB=$db
export BENCH_RECORD_IDS=$(grep -oE 'AV_RECORD_IDS=[0-9,]+' <<<"$fixture" | cut -d= -f2)
export BENCH_CASE_IDS=$(grep -oE 'CASE_IDS=[0-9,]+' <<<"$fixture" | cut -d= -f2)
export BENCH_API_KEY=$(grep -oE "API_KEY=[0-9a-f]+" <<<"$fixture" | cut -d= -f2)
export BENCH_FILESTORE="$HR_ENFORCEMENT_HOME/data/filestore/$db"
[ -n "$BENCH_RECORD_IDS" ] || die "fixture failed: $fixture"
"$PYTHON" "$REPO_DIR/tests/benchmarks/production_benchmark.py" \
  "$PYTHON" "$ODOO_SRC/odoo-bin" "${ODOO_ARGS[@]}" -d "$db"
[ -n "${BENCH_KEEP:-}" ] || drop_db "$db"
