-- DropIndex
DROP INDEX "audit_logs_createdAt_idx";

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "idempotencyKey" VARCHAR(255);

-- CreateIndex
CREATE INDEX "audit_logs_createdAt_id_idx" ON "audit_logs"("createdAt", "id");

-- CreateIndex
CREATE INDEX "audit_logs_actorType_createdAt_id_idx" ON "audit_logs"("actorType", "createdAt", "id");

-- CreateIndex
CREATE INDEX "audit_logs_action_createdAt_id_idx" ON "audit_logs"("action", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_idempotencyKey_key" ON "invoices"("idempotencyKey");

-- CreateIndex
CREATE INDEX "subscriptions_planId_status_idx" ON "subscriptions"("planId", "status");

-- CreateIndex
CREATE INDEX "subscriptions_createdAt_id_idx" ON "subscriptions"("createdAt", "id");

-- CreateIndex
CREATE INDEX "subscriptions_status_createdAt_id_idx" ON "subscriptions"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "subscriptions_appId_createdAt_id_idx" ON "subscriptions"("appId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "subscriptions_planId_createdAt_id_idx" ON "subscriptions"("planId", "createdAt", "id");

