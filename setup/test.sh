#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test of the hr_enforcement
# addons (and the integration addon under tests/) in a fresh database, against a real
# Odoo 18.0 and PostgreSQL, browser tours included. Exit 0 only when all ran and passed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# the object-store tests start a one-node Ceph cluster with its S3 gateway (setup/ceph_rgw.sh)
EXTRA_SYSTEM_PACKAGES="ceph-mon ceph-osd ceph-mgr radosgw ceph-common nginx"
prepare

# Odoo silently skips browser tests without Chromium or websocket-client: refuse that.
command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
  || die "Chromium is needed for the UI tours (apt-get install chromium)"
"$PYTHON" -c 'import websocket' 2>/dev/null \
  || die "websocket-client is missing from $PYTHON (pip install websocket-client)"

db="hr_enforcement_test_$$"
log="$REPO_DIR/.local/test.log"
mkdir -p "$REPO_DIR/.local"
trap 'drop_db "$db" >/dev/null 2>&1 || true' EXIT
drop_db "$db"
tags=$(echo "$TEST_ADDONS" | sed 's/\([a-z_]*\)/\/\1/g')
say "running the tests of $TEST_ADDONS in database $db (log: $log)"
start=$(date +%s)
set +e
WITH_TEST_ADDONS=1 odoo_cmd -d "$db" -i "$TEST_ADDONS" --load-language=zh_CN \
  --test-enable --test-tags "$tags" --http-port "$(free_port)" --stop-after-init \
  --log-handler=werkzeug:WARNING 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))

summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$log" | tail -n1 || true)
read -r failed errors total < <(echo "$summary" | sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/')
skipped=$(grep -cE 'odoo\.addons\.hr_enforcement[a-z_]*\..* skipped ' "$log" || true)
problems=()
[ -n "$summary" ] && [ "${total:-0}" -gt 0 ] || problems+=("no test ran")
[ "$rc" -eq 0 ] || problems+=("Odoo exited with $rc")
[ "${skipped:-0}" -eq 0 ] || problems+=("$skipped test(s) skipped")
grep -q 'demo data failed to install' "$log" && problems+=("demo data failed to install")
grep -qE ' (ERROR|CRITICAL) ' "$log" && problems+=("errors were logged")

# two Odoo nodes behind nginx on one object store, outside Odoo's test runner (issue 23)
say "running the two-node test (tests/two_nodes/two_nodes_test.sh)"
if "$REPO_DIR/tests/two_nodes/two_nodes_test.sh" 2>&1 | tee "$REPO_DIR/.local/two_nodes.log" \
    | grep -E '^(ok|FAILED|two nodes)'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  total=$(( ${total:-0} + 1 ))
else
  failed=$(( ${failed:-0} + 1 )); total=$(( ${total:-0} + 1 ))
  problems+=("the two-node test failed (log: $REPO_DIR/.local/two_nodes.log)")
fi

passed=$(( ${total:-0} - ${failed:-0} - ${errors:-0} - ${skipped:-0} ))
echo
echo "hr_enforcement: $passed passed, $(( ${failed:-0} + ${errors:-0} )) failed, ${skipped:-0} skipped"
say "test command took ${elapsed}s"
if [ ${#problems[@]} -gt 0 ]; then
  printf '\033[1;31m[hr_enforcement] FAILED:\033[0m %s\n' "${problems[@]}" >&2
  exit 1
fi
