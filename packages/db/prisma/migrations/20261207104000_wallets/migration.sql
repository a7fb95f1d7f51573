-- Prepaid wallets: one per customer and currency, and their append-only ledger.

-- CreateEnum
CREATE TYPE "WalletEntryKind" AS ENUM ('DEPOSIT', 'DEBIT', 'REFUND', 'ADJUSTMENT');

-- CreateTable
CREATE TABLE "wallets" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "currency" "Currency" NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wallet_entries" (
    "id" TEXT NOT NULL,
    "walletId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "kind" "WalletEntryKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "description" VARCHAR(1024),
    "idempotencyKey" VARCHAR(255),
    "stripeCheckoutSessionId" VARCHAR(255),
    "stripePaymentIntentId" VARCHAR(255),
    "refundOfEntryId" TEXT,
    "createdById" VARCHAR(255),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallet_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "wallets_appId_idx" ON "wallets"("appId");

-- CreateIndex
CREATE UNIQUE INDEX "wallets_customerId_currency_key" ON "wallets"("customerId", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "wallet_entries_stripeCheckoutSessionId_key" ON "wallet_entries"("stripeCheckoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "wallet_entries_refundOfEntryId_key" ON "wallet_entries"("refundOfEntryId");

-- CreateIndex
CREATE INDEX "wallet_entries_walletId_createdAt_id_idx" ON "wallet_entries"("walletId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "wallet_entries_appId_idempotencyKey_key" ON "wallet_entries"("appId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallet_entries" ADD CONSTRAINT "wallet_entries_walletId_fkey" FOREIGN KEY ("walletId") REFERENCES "wallets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallet_entries" ADD CONSTRAINT "wallet_entries_refundOfEntryId_fkey" FOREIGN KEY ("refundOfEntryId") REFERENCES "wallet_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The cached balance's updatedAt, kept by the database like every other table's.
CREATE TRIGGER wallets_set_updated_at BEFORE UPDATE ON wallets FOR EACH ROW EXECUTE FUNCTION aqb_set_updated_at();

-- The ledger is append-only: an entry is never changed or removed, whoever asks (a correction is a new entry).
-- TRUNCATE (a test resetting its database) is left alone.
CREATE OR REPLACE FUNCTION aqb_wallet_entries_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'wallet_entries is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER wallet_entries_append_only BEFORE UPDATE OR DELETE ON wallet_entries FOR EACH ROW EXECUTE FUNCTION aqb_wallet_entries_append_only();
