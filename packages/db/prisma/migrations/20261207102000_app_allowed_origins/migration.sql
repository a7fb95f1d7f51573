-- Each app's redirect allowlist (core/return-url.ts). Existing apps keep what the returnUrl rule
-- allowed them: the returnUrl's origin and, for a domain name, its subdomains (a wildcard entry).
ALTER TABLE "apps" ADD COLUMN "allowedOrigins" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

WITH parsed AS (
  SELECT "id",
         lower(substring("returnUrl" from '^([A-Za-z][A-Za-z0-9+.-]*)://')) AS scheme,
         lower(substring("returnUrl" from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)')) AS authority
  FROM "apps"
),
split AS (
  SELECT "id", scheme, authority,
         rtrim(regexp_replace(authority, ':[0-9]+$', ''), '.') AS host,
         substring(authority from '(:[0-9]+)$') AS port
  FROM parsed
  WHERE scheme IN ('http', 'https') AND authority IS NOT NULL AND authority <> ''
)
UPDATE "apps" AS a
SET "allowedOrigins" = CASE
  WHEN s.host ~ '^[a-z0-9-]+(\.[a-z0-9-]+)+$' AND s.host !~ '^[0-9.]+$'
    THEN ARRAY[s.scheme || '://' || s.host || coalesce(s.port, ''), s.scheme || '://*.' || s.host || coalesce(s.port, '')]
  ELSE ARRAY[s.scheme || '://' || s.host || coalesce(s.port, '')]
END
FROM split AS s
WHERE a."id" = s."id";
