#!/usr/bin/env bash
# The toolbox image's entry point: one command per operator job, the rest go to the operator CLI.
#   docker run --rm --network aquoris-payment_internal --env-file .env ghcr.io/eidy-trillionsure/aquoris-payment-toolbox:latest <command>
# TOOLBOX_ROOT (default /app) is where the image keeps api/, billing-web/, admin-web/ and scripts/.
set -euo pipefail
root="${TOOLBOX_ROOT:-/app}"
command="${1:-help}"
[ $# -eq 0 ] || shift

case "$command" in
  migrate)
    # prisma migrate deploy with the committed migrations (through the offline schema-engine shim by default).
    cd "$root/api/node_modules/@aquoris/db"
    exec ./node_modules/.bin/prisma migrate deploy "$@"
    ;;
  db:seed) exec node "$root/api/dist/seed.js" "$@" ;;
  backup) exec "$root/scripts/backup-db.sh" "$@" ;;
  restore) exec "$root/scripts/restore-db.sh" "$@" ;;
  sentry:sourcemaps)
    # Source maps of this image's release, uploaded after a healthy deploy; without Sentry settings, nothing to do.
    if [ -z "${SENTRY_AUTH_TOKEN:-}" ] || [ -z "${SENTRY_ORG:-}" ] || [ -z "${SENTRY_PROJECT:-}" ]; then
      echo "toolbox: SENTRY_AUTH_TOKEN, SENTRY_ORG or SENTRY_PROJECT not set; no source maps uploaded" >&2
      exit 0
    fi
    exec sentry-cli sourcemaps upload --release "${SENTRY_RELEASE:?SENTRY_RELEASE is not set}" \
      "$root/api/dist" "$root/billing-web/dist" "$root/admin-web/dist"
    ;;
  help | --help)
    cat <<'USAGE'
toolbox commands:
  migrate             apply the database migrations (prisma migrate deploy)
  db:seed             the idempotent seed: default admin, demo app, free and pro plans
  backup              scripts/backup-db.sh (mount the backup folder and set BACKUP_DIR to it)
  restore [--yes] F   scripts/restore-db.sh
  sentry:sourcemaps   upload this release's source maps to Sentry
  <cli command>       the operator CLI, e.g. apps:list (help lists them: toolbox cli help)
USAGE
    ;;
  cli) exec node "$root/api/dist/cli.js" "$@" ;;
  *) exec node "$root/api/dist/cli.js" "$command" "$@" ;;
esac
