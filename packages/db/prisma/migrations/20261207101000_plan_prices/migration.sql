-- Monthly and yearly prices per plan (issue 16). A plan's single price becomes its price for its interval;
-- the price columns of "plans" stay, mirroring the plan's default price (monthly when it has one, else yearly).

-- CreateTable
CREATE TABLE "plan_prices" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "interval" "PlanInterval" NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" "Currency" NOT NULL,
    "stripePriceId" VARCHAR(255),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_prices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "plan_prices_stripePriceId_key" ON "plan_prices"("stripePriceId");

-- CreateIndex
CREATE UNIQUE INDEX "plan_prices_planId_interval_key" ON "plan_prices"("planId", "interval");

-- AddForeignKey
ALTER TABLE "plan_prices" ADD CONSTRAINT "plan_prices_planId_fkey" FOREIGN KEY ("planId") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: each plan's price, for its interval, with its Stripe price and times.
INSERT INTO "plan_prices" ("id", "planId", "interval", "amount", "currency", "stripePriceId", "createdAt", "updatedAt")
SELECT 'pp' || substr(md5("id" || ':' || "interval"::text), 1, 23), "id", "interval", "priceAmount", "currency", "stripePriceId", "createdAt", "updatedAt"
FROM "plans";

-- AlterTable: every subscription and checkout session is on its plan's one price, so on that price's interval.
ALTER TABLE "subscriptions" ADD COLUMN "billingInterval" "PlanInterval";
UPDATE "subscriptions" s SET "billingInterval" = p."interval" FROM "plans" p WHERE p."id" = s."planId";
ALTER TABLE "subscriptions" ALTER COLUMN "billingInterval" SET NOT NULL;

ALTER TABLE "checkout_sessions" ADD COLUMN "billingInterval" "PlanInterval";
UPDATE "checkout_sessions" c SET "billingInterval" = p."interval" FROM "plans" p WHERE p."id" = c."planId";
ALTER TABLE "checkout_sessions" ALTER COLUMN "billingInterval" SET NOT NULL;

-- The price columns of "plans" mirror the plan's default price (monthly when it has one, else yearly),
-- kept so by the database whoever writes: a plan written with a price (an insert, or an update of those
-- columns) gets that price as its default one; a change to plan_prices is mirrored back onto the plan.
-- pg_trigger_depth() keeps each direction from re-firing the other.
CREATE FUNCTION plan_prices_mirror_default() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  plan_id TEXT := COALESCE(NEW."planId", OLD."planId");
  d RECORD;
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  SELECT "interval", "amount", "currency", "stripePriceId" INTO d FROM "plan_prices"
    WHERE "planId" = plan_id ORDER BY ("interval" = 'month') DESC LIMIT 1;
  IF FOUND THEN
    UPDATE "plans" SET "priceAmount" = d."amount", "currency" = d."currency", "interval" = d."interval", "stripePriceId" = d."stripePriceId"
      WHERE "id" = plan_id
        AND ("priceAmount", "currency", "interval", "stripePriceId") IS DISTINCT FROM (d."amount", d."currency", d."interval", d."stripePriceId");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER plan_prices_mirror_default AFTER INSERT OR UPDATE OR DELETE ON "plan_prices"
  FOR EACH ROW EXECUTE FUNCTION plan_prices_mirror_default();

CREATE FUNCTION plans_default_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' AND NEW."interval" <> OLD."interval" THEN
    -- The default price moves to the new interval: it replaces a price there, and leaves the old interval.
    DELETE FROM "plan_prices" WHERE "planId" = NEW."id" AND "interval" = NEW."interval";
    UPDATE "plan_prices" SET "interval" = NEW."interval", "amount" = NEW."priceAmount", "currency" = NEW."currency",
        "stripePriceId" = NEW."stripePriceId", "updatedAt" = now()
      WHERE "planId" = NEW."id" AND "interval" = OLD."interval";
  ELSE
    INSERT INTO "plan_prices" ("id", "planId", "interval", "amount", "currency", "stripePriceId")
      VALUES ('pp' || substr(md5(NEW."id" || ':' || NEW."interval"::text || clock_timestamp()::text), 1, 23), NEW."id", NEW."interval", NEW."priceAmount", NEW."currency", NEW."stripePriceId")
      ON CONFLICT ("planId", "interval") DO UPDATE SET "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency",
        "stripePriceId" = EXCLUDED."stripePriceId", "updatedAt" = now()
      WHERE ("plan_prices"."amount", "plan_prices"."currency", "plan_prices"."stripePriceId")
        IS DISTINCT FROM (EXCLUDED."amount", EXCLUDED."currency", EXCLUDED."stripePriceId");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER plans_default_price AFTER INSERT OR UPDATE OF "priceAmount", "currency", "interval", "stripePriceId" ON "plans"
  FOR EACH ROW EXECUTE FUNCTION plans_default_price();

CREATE TRIGGER plan_prices_set_updated_at BEFORE UPDATE ON plan_prices FOR EACH ROW EXECUTE FUNCTION aqb_set_updated_at();
