#!/usr/bin/env bash
# A gzipped SQL dump of DATABASE_URL in BACKUP_DIR, named payment-YYYYMMDD-HHMMSS.sql.gz (UTC), checked
# (non-empty, `gzip -t`) before it takes its final name; then backups older than 30 days are deleted
# (only files named payment-*.sql.gz). On any failure it POSTs a JSON message to WEBHOOK_URL, when set,
# and exits non-zero. Prints the new file's path on stdout. Runbook: docs/operations.md#backup.
#
#   DATABASE_URL  postgresql://user:password@host:5432/db   (required)
#   BACKUP_DIR    default /opt/aquoris-payment/backups
#   WEBHOOK_URL   optional: where failures are reported (Slack-compatible: the message is in "text")
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/opt/aquoris-payment/backups}"
RETENTION_DAYS=30
partial=''

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/ }
  printf '"%s"' "$s"
}

notify_failure() {
  local message="$1"
  [ -n "${WEBHOOK_URL:-}" ] || return 0
  local body
  body=$(printf '{"text":%s,"event":"backup.failed","host":%s,"database":%s,"error":%s,"at":%s}' \
    "$(json_string "Aquoris Payment backup failed on $(hostname): $message")" "$(json_string "$(hostname)")" \
    "$(json_string "${database:-unknown}")" "$(json_string "$message")" "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")")
  curl -sS -m 10 -o /dev/null -X POST -H 'content-type: application/json' --data "$body" "$WEBHOOK_URL" ||
    echo "backup-db: could not notify WEBHOOK_URL" >&2
}

fail() {
  trap - ERR
  echo "backup-db: $1" >&2
  [ -n "$partial" ] && rm -f "$partial"
  notify_failure "$1"
  exit 1
}
trap 'fail "unexpected error (line $LINENO)"' ERR

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is required"
# The name only, for messages: never the URL, which holds the password.
database="${DATABASE_URL##*/}"
database="${database%%\?*}"

mkdir -p "$BACKUP_DIR" || fail "cannot create $BACKUP_DIR"
umask 077
file="$BACKUP_DIR/payment-$(date -u +%Y%m%d-%H%M%S).sql.gz"
while [ -e "$file" ]; do
  sleep 1
  file="$BACKUP_DIR/payment-$(date -u +%Y%m%d-%H%M%S).sql.gz"
done
# Written under another name first, so a half-written dump never looks like a backup (or is pruned as one).
partial="$file.partial"

# --clean --if-exists: the dump replaces what it contains when restored over a live database;
# no owners or grants, so it restores as whichever role restore-db.sh connects with.
if ! pg_dump --clean --if-exists --no-owner --no-privileges --dbname="$DATABASE_URL" | gzip -6 >"$partial"; then
  fail "pg_dump of $database failed"
fi
[ -s "$partial" ] || fail "the dump of $database is empty"
gzip -t "$partial" || fail "the dump of $database fails gzip -t"
mv "$partial" "$file"
partial=''

# Retention: only our own backups, only past 30 days; nothing else in the folder is touched.
find "$BACKUP_DIR" -maxdepth 1 -type f -name 'payment-*.sql.gz' -mmin +"$((RETENTION_DAYS * 24 * 60))" -print -delete >&2 ||
  fail "could not prune backups older than $RETENTION_DAYS days in $BACKUP_DIR"

echo "$file"
