#!/usr/bin/env bash
# Restores a backup made by backup-db.sh into DATABASE_URL, in one transaction: every statement or none.
#
#   restore-db.sh [--yes] FILE
#
# Asks for the database's name to be typed as confirmation unless given --yes. Refuses a file that fails
# `gzip -t` before touching the database. Stops at the first error (ON_ERROR_STOP), which rolls the whole
# restore back. Prints each table's row count afterwards. Runbook: docs/operations.md#restore.
set -euo pipefail

usage() {
  echo "usage: restore-db.sh [--yes] FILE   (DATABASE_URL names the database to restore into)" >&2
  exit 2
}
die() {
  echo "restore-db: $1" >&2
  exit 1
}

yes=false
file=''
for arg in "$@"; do
  case "$arg" in
    --yes | -y) yes=true ;;
    -h | --help) usage ;;
    -*)
      echo "restore-db: unknown option $arg" >&2
      usage
      ;;
    *)
      if [ -n "$file" ]; then usage; fi
      file="$arg"
      ;;
  esac
done
[ -n "$file" ] || usage
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is required"
[ -f "$file" ] || die "no such file: $file"
gzip -t "$file" 2>/dev/null || die "refusing $file: it fails gzip -t (truncated or corrupt); the database was not touched"

database="${DATABASE_URL##*/}"
database="${database%%\?*}"
if [ "$yes" != true ]; then
  echo "This replaces the contents of database \"$database\" with $file." >&2
  printf 'Type the database name (%s) to continue: ' "$database" >&2
  answer=''
  read -r answer || true
  [ "$answer" = "$database" ] || die "not confirmed; nothing was restored"
fi

psql_() { psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname="$DATABASE_URL" "$@"; }

echo "restore-db: restoring $file into $database (one transaction)" >&2
if ! gunzip -c "$file" | psql_ --single-transaction --output=/dev/null; then
  die "the restore failed and was rolled back; $database is as it was"
fi

echo "restore-db: restored; rows per table:" >&2
psql_ --tuples-only --no-align --field-separator=$'\t' --command="
  SELECT table_name,
         (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  ORDER BY table_name"
