#!/usr/bin/env bash
# Health-gated deploy with rollback, the admin guide's Deploy Pipeline, run on the server from the deploy folder
# (/opt/aquoris-payment: docker/, scripts/, .env) by .github/workflows/deploy.yml. Runbook: docs/operations.md#deploy.
#
#   COMPOSE_FILE    docker/docker-compose.staging.yml or docker/docker-compose.prod.yml   (required)
#   HEALTH_URL      e.g. https://payment.aquoris.ai/api/health: must answer 200            (required)
#   APP_IMAGE       the app image to deploy, REPOSITORY:TAG (default ghcr.io/eidy-trillionsure/aquoris-payment:latest)
#   TOOLBOX_IMAGE   the toolbox of the same build (default ghcr.io/eidy-trillionsure/aquoris-payment-toolbox:latest)
#   HEALTH_TIMEOUT  seconds to wait for HEALTH_URL (default 60); HEALTH_INTERVAL between tries (default 2)
#   ENV_FILE        default .env; BACKUP_DIR default /opt/aquoris-payment/backups
# Calls `docker` from PATH (scripts/deploy.int.test.ts puts a recording fake first). Exits non-zero when a
# step fails; after a failed health check it has rolled the app and worker back to the previous image.
set -euo pipefail

: "${COMPOSE_FILE:?COMPOSE_FILE is required (docker/docker-compose.staging.yml or docker/docker-compose.prod.yml)}"
: "${HEALTH_URL:?HEALTH_URL is required (the deployed /api/health)}"
NEW_IMAGE="${APP_IMAGE:-ghcr.io/eidy-trillionsure/aquoris-payment:latest}"
TOOLBOX_IMAGE="${TOOLBOX_IMAGE:-ghcr.io/eidy-trillionsure/aquoris-payment-toolbox:latest}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-60}"
HEALTH_INTERVAL="${HEALTH_INTERVAL:-2}"
ENV_FILE="${ENV_FILE:-.env}"
BACKUP_DIR="${BACKUP_DIR:-/opt/aquoris-payment/backups}"
NETWORK=aquoris-payment_internal
POSTGRES_TIMEOUT=60

# Compose runs REPOSITORY:latest (its files read ${APP_IMAGE}); :rollback keeps the image that ran before.
repository="${NEW_IMAGE%:*}"
if [ "$repository" = "$NEW_IMAGE" ] || [[ "${NEW_IMAGE##*:}" == */* ]]; then
  echo "[deploy] APP_IMAGE must be REPOSITORY:TAG, got $NEW_IMAGE" >&2
  exit 2
fi
LATEST="$repository:latest"
ROLLBACK="$repository:rollback"
export APP_IMAGE="$LATEST"

step() { printf '[deploy] step %s\n' "$*"; }
die() {
  echo "[deploy] FAILED: $*" >&2
  exit 1
}
compose() { docker compose --env-file "$ENV_FILE" -f "$COMPOSE_FILE" "$@"; }
toolbox() { docker run --rm --network "$NETWORK" --env-file "$ENV_FILE" "$@"; }

wait_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) code
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$HEALTH_URL" || true)
    [ "$code" = 200 ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep "$HEALTH_INTERVAL"
  done
}

rollback() {
  step "8/9: $1: rolling back"
  [ "$have_rollback" = true ] || die "$1, and there is no previous image to roll back to (first deploy)"
  docker tag "$ROLLBACK" "$LATEST"
  compose up -d --no-deps --force-recreate app worker || die "$1; the rollback's compose up failed too"
  if wait_healthy; then
    die "$1; rolled back to the previous image, which answers $HEALTH_URL with 200"
  fi
  die "$1; rolled back to the previous image, but $HEALTH_URL still does not answer 200"
}

step "1/9: pull $NEW_IMAGE and $TOOLBOX_IMAGE"
docker pull "$NEW_IMAGE"
docker pull "$TOOLBOX_IMAGE"

step "2/9: wait for PostgreSQL"
compose up -d postgres redis
deadline=$((SECONDS + POSTGRES_TIMEOUT))
# shellcheck disable=SC2016 # expanded by the container's shell, from its own environment
until compose exec -T postgres sh -c 'pg_isready -q -U "$POSTGRES_USER" -d "$POSTGRES_DB"'; do
  [ "$SECONDS" -lt "$deadline" ] || die "PostgreSQL not ready after ${POSTGRES_TIMEOUT}s"
  sleep 1
done

step "3/9: pre-deploy backup into $BACKUP_DIR"
mkdir -p "$BACKUP_DIR"
# As the deploy user, so the file on the host is theirs; the toolbox writes to the mounted folder.
written=$(toolbox --user "$(id -u):$(id -g)" --volume "$BACKUP_DIR:/backups" --env BACKUP_DIR=/backups "$TOOLBOX_IMAGE" backup) ||
  die "the pre-deploy backup failed; nothing was changed"
backup="$BACKUP_DIR/$(basename "$(tail -n 1 <<<"$written")")"
if [[ "$(basename "$backup")" != payment-*.sql.gz ]] || [ ! -s "$backup" ]; then
  die "the pre-deploy backup ($backup) is missing or empty; nothing was changed"
fi
echo "[deploy] backup: $backup ($(wc -c <"$backup") bytes)"

step "4/9: migrations"
toolbox "$TOOLBOX_IMAGE" migrate || die "migrations failed; the running version was not touched (backup: $backup)"

step "5/9: tag the running app image $ROLLBACK"
have_rollback=false
running=$(compose ps -q app | head -n 1)
if [ -n "$running" ]; then
  docker tag "$(docker inspect --format '{{.Image}}' "$running")" "$ROLLBACK"
  have_rollback=true
else
  echo "[deploy] no app container runs: first deploy, nothing to roll back to"
fi

step "6/9: deploy $NEW_IMAGE"
[ "$NEW_IMAGE" = "$LATEST" ] || docker tag "$NEW_IMAGE" "$LATEST"
compose up -d --remove-orphans || rollback "compose up failed"

step "7/9: wait up to ${HEALTH_TIMEOUT}s for $HEALTH_URL"
wait_healthy || rollback "$HEALTH_URL did not answer 200 within ${HEALTH_TIMEOUT}s"
step "8/9: healthy; no rollback"

step "9/9: upload source maps to Sentry"
toolbox "$TOOLBOX_IMAGE" sentry:sourcemaps || echo "[deploy] warning: the source-map upload failed; the deploy stands" >&2
echo "[deploy] done: $NEW_IMAGE is live"
