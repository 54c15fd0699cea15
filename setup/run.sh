#!/usr/bin/env bash
# The run command: installs what is missing, creates (or updates) a database with the three
# hr_enforcement addons and their demo data, and serves Odoo at http://localhost:8069.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
prepare

db=${HR_ENFORCEMENT_DB:-hr_enforcement}
port=${HR_ENFORCEMENT_PORT:-8069}
if db_is_ready "$db"; then
  say "updating the addons in database $db"
  odoo_cmd -d "$db" -u "$ADDONS" --stop-after-init --log-level=warn
else
  say "creating database $db with the addons and demo data (a few minutes)"
  drop_db "$db"
  odoo_cmd -d "$db" -i "$ADDONS" --load-language=zh_CN --stop-after-init --log-level=warn
fi

# Odoo builds its web assets on the first page that needs them (half a minute on a small
# machine): build them now, so that the first page opens as fast as the later ones.
say "building the web assets"
odoo_shell "$db" <<'PY'
env["ir.qweb"]._pregenerate_assets_bundles()
env.cr.commit()
PY

cat <<TXT

  hr_enforcement is served at http://localhost:$port  (database $db)
  Demo logins (password = login):
    admin / admin          administrator, enforcement manager
    zhangwei, lina, sunlei officers
    wangqiang              reviewer of the handling unit (承办机构审核人)
    gaofeng                legal-review staff (法制审核)
    liuyang                approver / leader
    chenjing               archivist
    zhaomin                supervisor (read-only)
  Stop with Ctrl+C.

TXT
odoo_cmd -d "$db" --db-filter="^$db\$" --http-port="$port"
