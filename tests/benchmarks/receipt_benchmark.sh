#!/usr/bin/env bash
# Benchmark of the printed service receipts (issue: service of documents). Prints, side by
# side in one run: the time and the Odoo server's peak RSS growth of printing 500 receipts
# into one PDF through our report (its own page writer), the same for 50 receipts,
# and Odoo's own QWeb report of the same receipts rendered by wkhtmltopdf; and the query count
# and plan of resolving a scanned receipt code.
# BENCH_RECEIPTS=N changes the number of receipts.
source "$(dirname "${BASH_SOURCE[0]}")/../../setup/common.sh"
prepare
if ! command -v wkhtmltopdf >/dev/null; then
  say "installing Debian's wkhtmltopdf for the comparison"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wkhtmltopdf \
    || die "wkhtmltopdf is needed for the comparison"
fi
db=hr_enforcement_receipt_bench
export BENCH_DB=$db
drop_db "$db"
odoo_cmd -d "$db" -i hr_enforcement_service --stop-after-init --log-level=warn
odoo_base_args
odoo_args=("${ODOO_ARGS[@]}" -d "$db")
mkdir -p "$REPO_DIR/.local"
odoo_shell "$db" < "$REPO_DIR/tests/benchmarks/receipt_fixture.py" > "$REPO_DIR/.local/receipt_fixture.txt"
BENCH_SERVICE_IDS=$(grep -oE 'SERVICE_IDS=[0-9,]+' "$REPO_DIR/.local/receipt_fixture.txt" | cut -d= -f2)
export BENCH_SERVICE_IDS
[ -n "$BENCH_SERVICE_IDS" ] || die "fixture failed: $(cat "$REPO_DIR/.local/receipt_fixture.txt")"
grep '^SCAN' "$REPO_DIR/.local/receipt_fixture.txt"
"$PYTHON" "$REPO_DIR/tests/benchmarks/receipt_benchmark.py" "$PYTHON" "$ODOO_SRC/odoo-bin" "${odoo_args[@]}"
[ -n "${BENCH_KEEP:-}" ] || drop_db "$db"
