-- CreateEnum
CREATE TYPE "MrrMovementKind" AS ENUM ('NEW', 'EXPANSION', 'CONTRACTION', 'CHURN', 'REACTIVATION');

-- CreateEnum
CREATE TYPE "SubscriberChange" AS ENUM ('NEW', 'REACTIVATED', 'CHURNED');

-- CreateTable
CREATE TABLE "metrics_customers" (
    "customerId" TEXT NOT NULL,
    "currency" "Currency" NOT NULL,
    "appId" TEXT NOT NULL,
    "mrr" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,
    "pastDue" INTEGER NOT NULL DEFAULT 0,
    "trialing" INTEGER NOT NULL DEFAULT 0,
    "everPaid" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "metrics_customers_pkey" PRIMARY KEY ("customerId","currency")
);

-- CreateTable
CREATE TABLE "mrr_events" (
    "id" BIGSERIAL NOT NULL,
    "appId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "currency" "Currency" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "mrrBefore" INTEGER NOT NULL,
    "mrrAfter" INTEGER NOT NULL,
    "kind" "MrrMovementKind",
    "activeDelta" INTEGER NOT NULL DEFAULT 0,
    "pastDueDelta" INTEGER NOT NULL DEFAULT 0,
    "trialingDelta" INTEGER NOT NULL DEFAULT 0,
    "subscriberChange" "SubscriberChange",

    CONSTRAINT "mrr_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "revenue_entries" (
    "sourceId" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "currency" "Currency" NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "gross" INTEGER NOT NULL DEFAULT 0,
    "refunds" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "revenue_entries_pkey" PRIMARY KEY ("sourceId")
);

-- CreateTable
CREATE TABLE "metrics_daily" (
    "appId" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "currency" "Currency" NOT NULL,
    "newMrr" INTEGER NOT NULL DEFAULT 0,
    "expansionMrr" INTEGER NOT NULL DEFAULT 0,
    "contractionMrr" INTEGER NOT NULL DEFAULT 0,
    "churnedMrr" INTEGER NOT NULL DEFAULT 0,
    "reactivationMrr" INTEGER NOT NULL DEFAULT 0,
    "activeDelta" INTEGER NOT NULL DEFAULT 0,
    "pastDueDelta" INTEGER NOT NULL DEFAULT 0,
    "trialingDelta" INTEGER NOT NULL DEFAULT 0,
    "newSubscribers" INTEGER NOT NULL DEFAULT 0,
    "reactivatedSubscribers" INTEGER NOT NULL DEFAULT 0,
    "churnedSubscribers" INTEGER NOT NULL DEFAULT 0,
    "gross" INTEGER NOT NULL DEFAULT 0,
    "refunds" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metrics_daily_pkey" PRIMARY KEY ("appId","day","currency")
);

-- CreateIndex
CREATE INDEX "mrr_events_appId_occurredAt_idx" ON "mrr_events"("appId", "occurredAt");

-- CreateIndex
CREATE INDEX "mrr_events_customerId_occurredAt_idx" ON "mrr_events"("customerId", "occurredAt");

-- CreateIndex
CREATE INDEX "revenue_entries_invoiceId_idx" ON "revenue_entries"("invoiceId");

-- CreateIndex
CREATE INDEX "revenue_entries_appId_idx" ON "revenue_entries"("appId");

-- CreateIndex
CREATE INDEX "metrics_daily_day_idx" ON "metrics_daily"("day");

