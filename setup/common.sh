# shellcheck shell=bash
# Shared set-up for setup/run.sh and setup/test.sh: finds or installs Odoo 18.0,
# prepares a virtualenv with its requirements and ours, installs the system packages
# that the build and the browser tests need, and finds (or starts) PostgreSQL.
# Every step is idempotent: a second call only checks.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The well-known place outside the repository where the first set-up records what it found,
# so that later runs (CI included) need no variables.
HR_ENFORCEMENT_HOME=${HR_ENFORCEMENT_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/hr_enforcement}
ODOO_OFFICIAL_GIT=${ODOO_OFFICIAL_GIT:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=18.0
ADDONS="hr_enforcement_record,hr_enforcement_service,hr_enforcement_archive"
TEST_ADDONS="$ADDONS,hr_enforcement_tests"

say() { printf '\033[1m[hr_enforcement]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[hr_enforcement] ERROR:\033[0m %s\n' "$*" >&2; exit 2; }

is_odoo18_tree() { [ -f "$1/odoo/release.py" ] && [ -f "$1/odoo-bin" ] &&
  grep -q "^version_info = (18, 0," "$1/odoo/release.py"; }

# --- system packages ---------------------------------------------------------------------
ensure_system_packages() {
  local missing=() pkg
  # build headers for psycopg2 and python-ldap, chromium for the UI tours, CJK fonts for
  # the browser (noto) and a TrueType one that reportlab embeds in receipts (wqy-microhei),
  # poppler-utils and libzbar0 for the test that reads the QR code back from a printed PDF,
  # poppler-utils (pdfsig, pdffonts) and qpdf for the tests that check signatures and PDF/A,
  # and what the caller adds in EXTRA_SYSTEM_PACKAGES (the tests: Ceph)
  for pkg in libpq-dev libldap2-dev libsasl2-dev chromium fonts-noto-cjk fonts-wqy-microhei \
             poppler-utils libzbar0 qpdf ${EXTRA_SYSTEM_PACKAGES:-}; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    die "missing system packages: ${missing[*]} (install them with your system's package manager)"
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq || say "apt-get update failed; trying the cached package lists"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "could not install ${missing[*]}; install them and run again"
}

# --- Odoo source ---------------------------------------------------------------------------
# Order: ODOO_SRC (a local 18.0 tree, for air-gapped sites) > a python that already imports
# Odoo 18 (ODOO_PYTHON) > the tree recorded by an earlier set-up > a clone of Odoo's official
# 18.0 branch when online.
locate_odoo() {
  mkdir -p "$HR_ENFORCEMENT_HOME"
  local recorded="$HR_ENFORCEMENT_HOME/odoo_src"
  if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC=$(cd "$ODOO_SRC" 2>/dev/null && pwd) || die "ODOO_SRC=$ODOO_SRC does not exist"
    is_odoo18_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (odoo-bin, odoo/release.py)"
    echo "$ODOO_SRC" >"$recorded"
  elif [ -n "${ODOO_PYTHON:-}" ]; then
    ODOO_SRC=$("$ODOO_PYTHON" -c 'import odoo, os, odoo.release as r; assert r.serie == "18.0", r.serie; print(os.path.dirname(os.path.dirname(odoo.__file__)))') \
      || die "ODOO_PYTHON=$ODOO_PYTHON cannot import Odoo 18.0"
  elif [ -f "$recorded" ] && is_odoo18_tree "$(cat "$recorded")"; then
    ODOO_SRC=$(cat "$recorded")
  elif python3 -c 'import odoo.release as r; assert r.serie == "18.0"' 2>/dev/null; then
    ODOO_PYTHON=$(command -v python3)
    ODOO_SRC=$(python3 -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
  else
    local target="$HR_ENFORCEMENT_HOME/odoo-$ODOO_BRANCH"
    say "no Odoo 18.0 found; cloning Odoo's official $ODOO_BRANCH branch into $target"
    if ! git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_OFFICIAL_GIT" "$target.part"; then
      rm -rf "$target.part"
      die "no Odoo 18.0 found and $ODOO_OFFICIAL_GIT cannot be reached. Provide one: ODOO_SRC=/path/to/odoo-18.0 (a local Odoo 18.0 Community tree), or ODOO_PYTHON=/path/to/python that can import odoo 18.0"
    fi
    mv "$target.part" "$target"
    ODOO_SRC=$target
    echo "$ODOO_SRC" >"$recorded"
  fi
  export ODOO_SRC
}

# --- Python environment --------------------------------------------------------------------
ensure_python_env() {
  if [ -n "${ODOO_PYTHON:-}" ]; then
    PYTHON=$ODOO_PYTHON
  else
    local venv="$HR_ENFORCEMENT_HOME/venv" base=${PYTHON_BIN:-python3}
    "$base" -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12)' \
      || die "$base is not Python 3.10-3.12 (Odoo 18.0 needs one); set PYTHON_BIN"
    [ -x "$venv/bin/python" ] || { say "creating $venv"; "$base" -m venv "$venv"; }
    PYTHON="$venv/bin/python"
    local stamp="$venv/.requirements.sha256" want
    want=$(cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements.txt" | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      say "installing Odoo's and our Python requirements into $venv"
      local constraints="$HR_ENFORCEMENT_HOME/pip-constraints.txt"
      # cbor2's sdist does not build with setuptools 81+: older pips apply PIP_CONSTRAINT to
      # build environments, pip 25.3+ only PIP_BUILD_CONSTRAINT, so set both.
      echo 'setuptools<81' >"$constraints"
      export PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$constraints"
      "$PYTHON" -m pip install -q --upgrade pip wheel 'setuptools<81'
      "$PYTHON" -m pip install -q -r "$ODOO_SRC/requirements.txt"
      "$PYTHON" -m pip install -q -r "$REPO_DIR/requirements.txt"
      unset PIP_CONSTRAINT PIP_BUILD_CONSTRAINT
      echo "$want" >"$stamp"
    fi
  fi
  "$PYTHON" -c "import sys; sys.path.insert(0, '$ODOO_SRC'); import odoo.release as r; assert r.serie == '18.0'" \
    || die "the Python environment $PYTHON cannot run Odoo 18.0 from $ODOO_SRC"
  export PYTHON
}

# --- PostgreSQL ----------------------------------------------------------------------------
pg_reachable() {
  "$PYTHON" - <<'PY' 2>/dev/null
import os, psycopg2
psycopg2.connect(dbname="postgres", host=os.environ.get("PGHOST") or None,
                 port=os.environ.get("PGPORT") or None, user=os.environ.get("PGUSER") or None,
                 connect_timeout=3).close()
PY
}

# Uses the server named by PG* variables (or the local default); when none answers,
# starts a private cluster under .local/ in the repository (git-ignored).
ensure_postgres() {
  export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
  pg_reachable && return 0
  # Odoo refuses to run as the "postgres" role: give the current user a role of its own.
  if [ -z "${PGUSER:-}" ] && PGUSER=postgres pg_reachable; then
    say "creating the PostgreSQL role $(id -un)"
    PGUSER=postgres "$PYTHON" - "$(id -un)" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres", user="postgres", host=os.environ["PGHOST"],
                        port=os.environ["PGPORT"])
conn.autocommit = True
conn.cursor().execute('CREATE ROLE "%s" LOGIN CREATEDB' % sys.argv[1].replace('"', ''))
PY
    pg_reachable && return 0
  fi
  local bindir pgdata="$REPO_DIR/.local/pgdata" sock="$REPO_DIR/.local/pgsock"
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$bindir" ] || die "no PostgreSQL reachable at $PGHOST:$PGPORT and no server installed (apt-get install postgresql)"
  local runas=()
  [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
  mkdir -p "$REPO_DIR/.local" "$sock"
  [ "$(id -u)" -eq 0 ] && chown postgres "$REPO_DIR/.local" "$sock"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "initialising a private PostgreSQL cluster in $pgdata"
    "${runas[@]}" "$bindir/initdb" -D "$pgdata" -U "${PGUSER:-$(id -un)}" -A trust >/dev/null
  fi
  export PGHOST=$sock PGPORT=${HR_ENFORCEMENT_PGPORT:-54329}
  if ! pg_reachable; then
    say "starting the private PostgreSQL cluster on port $PGPORT"
    "${runas[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$REPO_DIR/.local/postgres.log" -w \
      -o "-k $sock -p $PGPORT -c listen_addresses=''" start >/dev/null
  fi
  pg_reachable || die "PostgreSQL did not start; see $REPO_DIR/.local/postgres.log"
}

# --- Odoo command line ---------------------------------------------------------------------
# Sets ODOO_ARGS: Odoo's options for our addons, files and database server.
odoo_base_args() {
  local addons="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$REPO_DIR"
  [ "${WITH_TEST_ADDONS:-0}" = 1 ] && addons="$addons,$REPO_DIR/tests"
  ODOO_ARGS=(--addons-path="$addons" --data-dir="$HR_ENFORCEMENT_HOME/data"
             --db_host="$PGHOST" --db_port="$PGPORT")
  [ -n "${PGUSER:-}" ] && ODOO_ARGS+=(--db_user="$PGUSER")
  [ -n "${PGPASSWORD:-}" ] && ODOO_ARGS+=(--db_password="$PGPASSWORD")
  return 0
}

odoo_cmd() {
  odoo_base_args
  "$PYTHON" "$ODOO_SRC/odoo-bin" "${ODOO_ARGS[@]}" "$@"
}

# `odoo-bin shell` on database $1 (the script comes on standard input).
odoo_shell() {
  local db=$1
  shift
  odoo_base_args
  "$PYTHON" "$ODOO_SRC/odoo-bin" shell "${ODOO_ARGS[@]}" -d "$db" --log-level=warn "$@"
}

prepare() {
  ensure_system_packages
  locate_odoo
  ensure_python_env
  ensure_postgres
  say "Odoo 18.0 from $ODOO_SRC, Python $PYTHON, PostgreSQL $PGHOST:$PGPORT"
}

# True when database $1 exists and has our addons installed.
db_is_ready() {
  "$PYTHON" - "$1" <<'PY' 2>/dev/null
import os, sys, psycopg2
conn = psycopg2.connect(dbname=sys.argv[1], host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ.get("PGUSER") or None)
cur = conn.cursor()
cur.execute("SELECT count(*) FROM ir_module_module WHERE name LIKE 'hr_enforcement_%%' AND state = 'installed'")
sys.exit(0 if cur.fetchone()[0] >= 3 else 1)
PY
}

drop_db() {
  "$PYTHON" - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ.get("PGUSER") or None)
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1].replace('"', ''))
PY
  # the database's files go with it: a test run leaves nothing on the disk
  case "$1" in */*|"") ;; *) rm -rf "$HR_ENFORCEMENT_HOME/data/filestore/$1" ;; esac
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
