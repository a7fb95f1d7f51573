-- Per-app Stripe accounts (issue 17 part 1): each app in test mode by default, its own keys per mode
-- (encrypted), a Stripe price per plan in its account, and the mode of every stored Stripe object.
-- Every existing row is a test-mode object of the platform account: livemode false, appId null.

-- CreateEnum
CREATE TYPE "StripeMode" AS ENUM ('test', 'live');

-- AlterTable
ALTER TABLE "apps" ADD COLUMN     "testMode" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "checkout_sessions" ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "stripe_events" ADD COLUMN     "appId" VARCHAR(64),
ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "livemode" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "app_stripe_configs" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "mode" "StripeMode" NOT NULL,
    "secretKeyCiphertext" TEXT NOT NULL,
    "secretKeyLast4" VARCHAR(4) NOT NULL,
    "publishableKey" VARCHAR(255) NOT NULL,
    "webhookSecretCiphertext" TEXT NOT NULL,
    "webhookSecretLast4" VARCHAR(4) NOT NULL,
    "encryptionKeyId" VARCHAR(64) NOT NULL,
    "setAt" TIMESTAMPTZ(3) NOT NULL,
    "deactivatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_stripe_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_stripe_prices" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "mode" "StripeMode" NOT NULL,
    "planId" TEXT NOT NULL,
    "interval" "PlanInterval" NOT NULL,
    "stripePriceId" VARCHAR(255) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_stripe_prices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "app_stripe_configs_appId_mode_deactivatedAt_idx" ON "app_stripe_configs"("appId", "mode", "deactivatedAt");

-- CreateIndex
CREATE INDEX "app_stripe_configs_encryptionKeyId_idx" ON "app_stripe_configs"("encryptionKeyId");

-- CreateIndex
CREATE INDEX "plan_stripe_prices_planId_idx" ON "plan_stripe_prices"("planId");

-- CreateIndex
CREATE UNIQUE INDEX "plan_stripe_prices_appId_mode_planId_interval_key" ON "plan_stripe_prices"("appId", "mode", "planId", "interval");

-- AddForeignKey
ALTER TABLE "app_stripe_configs" ADD CONSTRAINT "app_stripe_configs_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_stripe_prices" ADD CONSTRAINT "plan_stripe_prices_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_stripe_prices" ADD CONSTRAINT "plan_stripe_prices_planId_fkey" FOREIGN KEY ("planId") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;


CREATE TRIGGER plan_stripe_prices_set_updated_at BEFORE UPDATE ON plan_stripe_prices FOR EACH ROW EXECUTE FUNCTION aqb_set_updated_at();
