#!/usr/bin/env bash
# Lays out what the runtime image runs, from a built workspace (`pnpm build`), in OUT:
#   OUT/api            `pnpm deploy --prod` of @aquoris/api: dist/ (main.js, worker.js, cli.js, seed.js) and its
#                      production node_modules, @aquoris/db with its migrations among them
#   OUT/billing-web/dist, OUT/admin-web/dist   the web apps, where the API looks for them (beside its package)
# docker/Dockerfile runs it in its build stage; scripts/runtime.int.test.ts runs it here and starts the API from OUT.
set -euo pipefail
out="${1:?usage: assemble-runtime.sh OUT}"
cd "$(dirname "$0")/.."

for built in apps/api/dist/main.js apps/billing-web/dist/index.html apps/admin-web/dist/index.html; do
  [ -f "$built" ] || { echo "assemble-runtime: $built is missing: run pnpm build first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
# --ignore-scripts: @aquoris/db's postinstall (prisma generate) writes the Prisma client that only tests use.
pnpm --filter @aquoris/api deploy --prod --ignore-scripts "$out/api"
for web in billing-web admin-web; do
  mkdir -p "$out/$web"
  cp -R "apps/$web/dist" "$out/$web/dist"
done
