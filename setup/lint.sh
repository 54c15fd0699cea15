#!/usr/bin/env bash
# Lint: ruff, pylint-odoo (OCA mandatory checks) and prettier (XML) through pre-commit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=${HR_ENFORCEMENT_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/hr_enforcement}/lint-venv
[ -x "$venv/bin/pre-commit" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q pre-commit; }
command -v node >/dev/null || { echo "[hr_enforcement] ERROR: prettier needs Node.js (apt-get install nodejs npm)" >&2; exit 2; }
exec "$venv/bin/pre-commit" run --all-files --show-diff-on-failure "$@"
