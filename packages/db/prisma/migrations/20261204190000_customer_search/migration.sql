-- "Search customers": newest first in one app or all, keyset-paged on (createdAt, id).
DROP INDEX "customers_appId_createdAt_idx";

-- CreateIndex
CREATE INDEX "customers_appId_createdAt_id_idx" ON "customers"("appId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "customers_createdAt_id_idx" ON "customers"("createdAt", "id");

-- A case-insensitive prefix of the external user id, email or name: lower(column) LIKE 'term%' becomes an
-- index range on these (text_pattern_ops compares bytes, so the range is right whatever the collation).
-- Prisma cannot declare expression indexes; schema.prisma names them in a comment on Customer.
CREATE INDEX "customers_externalUserId_lower_idx" ON "customers"(lower("externalUserId") text_pattern_ops);
CREATE INDEX "customers_email_lower_idx" ON "customers"(lower("email") text_pattern_ops);
CREATE INDEX "customers_name_lower_idx" ON "customers"(lower("name") text_pattern_ops);
