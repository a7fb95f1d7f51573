-- The exact number of subscriptions per (app, plan, status), kept by statement triggers in the same
-- transaction as the rows they count. The admin Subscriptions list sums these rows for its total
-- instead of scanning the matching subscriptions (a million of them took 90–250 ms).
--
-- Writers only ever INSERT here (one row per group a statement changed, with the change), so no
-- writer waits on another or can deadlock over a count. Now and then a writer folds the rows into one
-- per group; one folder at a time (the advisory lock: the others skip), and it deletes only rows its
-- statement's snapshot sees, so a concurrent writer's rows stay for the next fold. A sum over the
-- rows of a filter is exact under any interleaving.
--
-- One script, run as one query: one transaction, and the lock below keeps writers out until the
-- triggers exist and the counts are filled, so no write is missed or counted twice.

-- CreateTable
CREATE TABLE "subscription_counts" (
    "id" BIGSERIAL NOT NULL,
    "appId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "status" "SubscriptionStatus" NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "subscription_counts_pkey" PRIMARY KEY ("id")
);

LOCK TABLE "subscriptions" IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION "subscription_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "subscription_counts" ("appId", "planId", "status", "count")
    SELECT "appId", "planId", "status", count(*) FROM new_rows GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "subscription_counts" ("appId", "planId", "status", "count")
    SELECT "appId", "planId", "status", -count(*) FROM old_rows GROUP BY 1, 2, 3;
  ELSE
    -- An update that moves no row between groups (most of them) writes nothing.
    INSERT INTO "subscription_counts" ("appId", "planId", "status", "count")
    SELECT "appId", "planId", "status", sum(d) FROM (
      SELECT "appId", "planId", "status", 1 AS d FROM new_rows
      UNION ALL
      SELECT "appId", "planId", "status", -1 AS d FROM old_rows
    ) AS changes
    GROUP BY 1, 2, 3 HAVING sum(d) <> 0;
  END IF;
  IF (SELECT count(*) FROM "subscription_counts") > 256 AND pg_try_advisory_xact_lock(hashtextextended('subscription_counts.fold', 0)) THEN
    WITH folded AS (DELETE FROM "subscription_counts" RETURNING "appId", "planId", "status", "count")
    INSERT INTO "subscription_counts" ("appId", "planId", "status", "count")
    SELECT "appId", "planId", "status", sum("count") FROM folded GROUP BY 1, 2, 3 HAVING sum("count") <> 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "subscription_counts_insert" AFTER INSERT ON "subscriptions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "subscription_counts_apply"();
CREATE TRIGGER "subscription_counts_update" AFTER UPDATE ON "subscriptions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "subscription_counts_apply"();
CREATE TRIGGER "subscription_counts_delete" AFTER DELETE ON "subscriptions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "subscription_counts_apply"();

CREATE FUNCTION "subscription_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "subscription_counts";
  RETURN NULL;
END
$$;

CREATE TRIGGER "subscription_counts_truncate" AFTER TRUNCATE ON "subscriptions" FOR EACH STATEMENT EXECUTE FUNCTION "subscription_counts_clear"();

INSERT INTO "subscription_counts" ("appId", "planId", "status", "count")
SELECT "appId", "planId", "status", count(*) FROM "subscriptions" GROUP BY 1, 2, 3;
