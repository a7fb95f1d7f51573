-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "stripeSyncRequestedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "customers_stripeSyncRequestedAt_idx" ON "customers"("stripeSyncRequestedAt");

