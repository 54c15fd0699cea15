#!/usr/bin/env bash
# Odoo's own test suites of the models our addons override (base: attachments, partners,
# rules, users; mail; test_mail; hr), run after every module is loaded, once in a database
# without our addons and once with them; prints both counts side by side and names each test
# that fails only with our addons (exit 1 if any). A test that fails only with ours is run
# again alone in both databases before it is blamed, so that a test disturbed by the load of
# the machine is not taken for a regression. ODOO_SUITES_TAGS narrows the selection.
source "$(dirname "${BASH_SOURCE[0]}")/../setup/common.sh"
prepare

base_classes="TestIrAttachment TestPermissions TestPartner TestPartnerAddressCompany \
TestPartnerForm TestPartnerRecursion TestMergePartner TestUsers TestUsers2 \
TestUsersGroupWarning TestUsersTweaks TestUsersIdentitycheck TestHasGroup TestACL TestIrRule"
default_tags="/mail,/test_mail,/hr$(printf ',/base:%s' $base_classes)"
tags=${ODOO_SUITES_TAGS:-$default_tags}
suites="$REPO_DIR/tests/odoo_suites"
logs="$REPO_DIR/.local"
mkdir -p "$logs"
declare -A modules=([plain]="mail,test_mail,hr" [ours]="mail,test_mail,hr,$ADDONS")
trap 'for v in plain ours; do drop_db "odoo_suites_${v}_$$" >/dev/null 2>&1 || true; done' EXIT

install_variant() {  # name
  local db="odoo_suites_$1_$$"
  drop_db "$db"
  say "[$1] installing ${modules[$1]} in $db"
  odoo_cmd -d "$db" -i "${modules[$1]}" --stop-after-init --load-language=zh_CN \
    --log-level=warn >"$logs/odoo_suites_$1.install.log" 2>&1 \
    || { tail -n 30 "$logs/odoo_suites_$1.install.log" >&2; die "[$1] install failed"; }
}

run_variant() {  # name, tags, log
  say "[$1] running Odoo's tests after all modules are loaded (log: $3)"
  odoo_base_args
  "$PYTHON" "$suites/runner.py" "${ODOO_ARGS[@]}" -d "odoo_suites_$1_$$" --test-enable \
    --test-tags "$2" --stop-after-init --http-port "$(free_port)" \
    --log-handler=werkzeug:WARNING >"$3" 2>&1 || true
}

start=$(date +%s)
install_variant plain & pid=$!
install_variant ours
wait "$pid" || die "[plain] install failed"
run_variant plain "$tags" "$logs/odoo_suites_plain.log" & pid=$!
run_variant ours "$tags" "$logs/odoo_suites_ours.log"
wait "$pid" || true
set +e
"$PYTHON" "$suites/compare.py" "$logs/odoo_suites_plain.log" "$logs/odoo_suites_ours.log" \
  --blamed "$logs/odoo_suites_blamed.txt"
rc=$?
if [ "$rc" -eq 1 ]; then
  again=$(sed 's#^\([a-z_]*\) \(.*\)$#/\1:\2#' "$logs/odoo_suites_blamed.txt" | paste -sd, -)
  say "running again, alone, the tests that failed only with our addons: $again"
  run_variant plain "$again" "$logs/odoo_suites_plain.again.log"
  run_variant ours "$again" "$logs/odoo_suites_ours.again.log"
  "$PYTHON" "$suites/compare.py" "$logs/odoo_suites_plain.again.log" \
    "$logs/odoo_suites_ours.again.log" --again
  rc=$?
fi
say "odoo suites took $(( $(date +%s) - start ))s"
exit $rc
