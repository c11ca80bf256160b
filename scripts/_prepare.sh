#!/usr/bin/env bash
# Shared preparation for scripts/run and scripts/test (sourced, not executed).
# Finds Odoo, builds (or reuses) the virtualenv, starts PostgreSQL with a role for
# the current OS user, and defines helpers used by both commands.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo18}"
STATE_DIR="${AFTERSCHOOL_STATE_DIR:-$HOME/.cache/afterschool_service}"
DATA_DIR="$STATE_DIR/data"
ADDON_NAME=afterschool_service
ADDON_DEPENDS="base,contacts,account,calendar,mail,portal,resource"

say() { printf '\033[1m[afterschool]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --- Odoo -------------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
  die "Odoo 18 source not found at '$ODOO_SRC'.
  Put an Odoo 18.0 Community source tree there (the folder holding odoo-bin),
  or point ODOO_SRC at it, e.g.:  ODOO_SRC=/path/to/odoo $0"
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
  || die "'$ODOO_SRC' is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)."

# --- Python -----------------------------------------------------------------
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
      PYTHON="$(command -v "$candidate")"; break
    fi
  done
fi
[ -n "$PYTHON" ] || die "Python 3.10-3.12 is needed (set PYTHON=/path/to/python3.x)."

# --- System packages (Debian/Ubuntu) ------------------------------------------
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  else
    die "missing system packages: $* (install them with your package manager)"
  fi
}
need_debs=()
[ -f /usr/include/ldap.h ] || need_debs+=(libldap2-dev)
[ -f /usr/include/sasl/sasl.h ] || need_debs+=(libsasl2-dev)
command -v pg_config >/dev/null 2>&1 || need_debs+=(libpq-dev)
command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || need_debs+=(postgresql)
if [ "${AFTERSCHOOL_NEEDS_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || need_debs+=(chromium)
fi
[ ${#need_debs[@]} -eq 0 ] || apt_install "${need_debs[@]}"
# PDF reports: Debian's wkhtmltopdf and a CJK font (Chinese glyphs, not boxes); the tests read the
# PDFs' text with pdftotext. Optional: without them Odoo offers the reports as HTML.
want_debs=()
command -v wkhtmltopdf >/dev/null 2>&1 || want_debs+=(wkhtmltopdf)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n1)" ]; } \
  || want_debs+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || want_debs+=(poppler-utils)
if [ ${#want_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt_install "${want_debs[@]}" || say "could not install ${want_debs[*]}: reports stay HTML"
  else
    say "optional system packages missing: ${want_debs[*]} (without them reports are HTML, not PDF)"
  fi
fi

# --- Virtualenv, keyed on the requirements -----------------------------------
venv_key="$( { "$PYTHON" --version; cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements-dev.txt"; } \
  | sha256sum | cut -c1-12)"
VENV="${AFTERSCHOOL_VENV:-$STATE_DIR/venv-$venv_key}"
if [ ! -f "$VENV/.complete" ]; then
  say "building the virtualenv $VENV (first run only; a few minutes)"
  rm -rf "$VENV"; mkdir -p "$STATE_DIR"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81"
  # Odoo pins cbor2 5.4.2, which no longer builds with current setuptools; 5.6.2 is API-compatible.
  sed -E 's/^cbor2==5\.4\.2/cbor2==5.6.2/' "$ODOO_SRC/requirements.txt" > "$STATE_DIR/odoo-requirements.txt"
  "$VENV/bin/pip" install -q -r "$STATE_DIR/odoo-requirements.txt" 2> >(grep -v "is ignored" >&2)
  "$VENV/bin/pip" install -q --no-deps --no-build-isolation -e "$ODOO_SRC"
  "$VENV/bin/pip" install -q -r "$PROJECT_DIR/requirements-dev.txt"
  touch "$VENV/.complete"
fi
export PATH="$VENV/bin:$PATH"

# --- PostgreSQL ---------------------------------------------------------------
DB_USER="$(id -un)"
[ "$DB_USER" != postgres ] || die "Odoo refuses to run as the 'postgres' user; use another account."
start_postgres() {
  if pg_isready -q 2>/dev/null; then return; fi
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local cluster
    cluster="$(pg_lsclusters -h | awk '{print $1" "$2}' | sort -V | tail -n1)"
    [ -n "$cluster" ] || die "no PostgreSQL cluster found (pg_createcluster 15 main)"
    say "starting PostgreSQL $cluster"
    if [ "$(id -u)" = 0 ]; then pg_ctlcluster $cluster start
    else sudo -n pg_ctlcluster $cluster start || die "start PostgreSQL: sudo pg_ctlcluster $cluster start"; fi
  fi
  for _ in $(seq 1 30); do pg_isready -q && return; sleep 1; done
  die "PostgreSQL did not come up"
}
start_postgres
psql_admin() {  # SQL on stdin, run as the postgres superuser
  if [ "$(id -u)" = 0 ]; then su postgres -c "psql -XqAt -d postgres"
  else sudo -n -u postgres psql -XqAt -d postgres; fi
}
if [ "$(psql -XqAt -d postgres -c 'select 1' 2>/dev/null || true)" != 1 ]; then
  say "creating PostgreSQL role '$DB_USER'"
  psql_admin <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB;
  END IF;
END\$\$;
SQL
fi

# --- Nothing phones home ----------------------------------------------------------
# Odoo installs by itself every auto_install module whose dependencies are installed:
# with contacts, mail and account that brings iap, partner_autocomplete, sms, snailmail...,
# which call Odoo's servers (the first admin login already does). Marking them uninstallable
# in a database does not last (every -i/-u re-reads the manifests), so the databases are
# built from a view of Odoo's addons folder where they are not installable: a folder of links
# to every addon, except that these few get a copy of their manifest saying installable=False
# (their Python stays importable: html_editor imports iap's tools). Whatever depends on them
# (sms, snailmail, ...) cannot be installed either. AFTERSCHOOL_ALLOW_PHONE_HOME=1 uses
# Odoo's own folder.
PHONE_HOME_ADDONS="iap partner_autocomplete web_unsplash"
offline_addons_dir() {
  local key dir
  key="$( { echo "$PHONE_HOME_ADDONS"; echo "$ODOO_SRC"; ls "$ODOO_SRC/addons"; } | sha256sum | cut -c1-10)"
  dir="$STATE_DIR/addons-offline-$key"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    "$PYTHON" - "$ODOO_SRC/addons" "$dir" $PHONE_HOME_ADDONS <<'PY'
import ast, os, sys
source, target, blocked = sys.argv[1], sys.argv[2], set(sys.argv[3:])
for name in sorted(os.listdir(source)):
    path = os.path.join(source, name)
    if name not in blocked:
        os.symlink(path, os.path.join(target, name))
        continue
    os.mkdir(os.path.join(target, name))
    for entry in os.listdir(path):
        if entry != "__manifest__.py":
            os.symlink(os.path.join(path, entry), os.path.join(target, name, entry))
    with open(os.path.join(path, "__manifest__.py")) as file:
        manifest = ast.literal_eval(file.read())
    manifest.update(installable=False, auto_install=False)
    with open(os.path.join(target, name, "__manifest__.py"), "w") as file:
        file.write("# Not installable here: it calls servers on the internet (scripts/_prepare.sh).\n")
        file.write(repr(manifest) + "\n")
PY
    touch "$dir/.complete"
  fi
  echo "$dir"
}
if [ "${AFTERSCHOOL_ALLOW_PHONE_HOME:-0}" = 1 ]; then ODOO_ADDONS_DIR="$ODOO_SRC/addons"
else ODOO_ADDONS_DIR="$(offline_addons_dir)"; fi

# --- Helpers --------------------------------------------------------------------
ODOO_ADDONS_PATH="$ODOO_ADDONS_DIR,$ODOO_SRC/odoo/addons,$PROJECT_DIR"
odoo() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_ADDONS_PATH" --data-dir="$DATA_DIR" "$@"; }
db_exists() { [ "$(psql -XqAt -d postgres -c "select 1 from pg_database where datname = '$1'")" = 1 ]; }
db_drop() {
  if db_exists "$1"; then dropdb --if-exists "$1"; fi
  rm -rf "$DATA_DIR/filestore/$1"
}
# A database with Odoo's modules the addon depends on, demo data included: built once per
# Odoo source, dependency list and data folder (it owns a filestore there), then copied
# (database and filestore) in a second.
template_db() {
  local key name
  key="$( { echo "$ADDON_DEPENDS"; echo "$DATA_DIR"; echo "$ODOO_ADDONS_DIR"; git -C "$ODOO_SRC" rev-parse HEAD 2>/dev/null || stat -c %Y "$ODOO_SRC/odoo/release.py"; cat "$ODOO_SRC/odoo/release.py"; } | sha256sum | cut -c1-10)"
  name="afterschool_tpl_$key"
  if ! db_exists "$name" || [ "$(psql -XqAt -d "$name" -c "select count(*) from ir_config_parameter where key='afterschool.template.complete'" 2>/dev/null || echo 0)" != 1 ]; then
    say "building template database $name with $ADDON_DEPENDS (first run only)"
    db_drop "$name"
    odoo -d "$name" -i "$ADDON_DEPENDS" --stop-after-init --log-level=warn --no-http
    # Odoo's weekly "Update Notification" (mail's publisher warranty) reports to odoo.com.
    psql -XqAt -d "$name" -c "update ir_cron set active = false where id in (select res_id from ir_model_data where module = 'mail' and name = 'ir_cron_module_update_notification')" >/dev/null
    psql -XqAt -d "$name" -c "insert into ir_config_parameter(key, value) values ('afterschool.template.complete', '1')" >/dev/null
  fi
  echo "$name"
}
db_copy() {  # db_copy SOURCE TARGET: database and filestore
  db_drop "$2"
  createdb -T "$1" "$2"
  if [ -d "$DATA_DIR/filestore/$1" ]; then mkdir -p "$DATA_DIR/filestore"; cp -a "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"; fi
}
