-- CreateTable
CREATE TABLE "metrics_monthly" (
    "appId" TEXT NOT NULL,
    "month" TIMESTAMPTZ(3) NOT NULL,
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

    CONSTRAINT "metrics_monthly_pkey" PRIMARY KEY ("appId","month","currency")
);

-- CreateIndex
CREATE INDEX "metrics_monthly_month_idx" ON "metrics_monthly"("month");

