-- Eligibility change notifications. Every API instance keeps an in-memory
-- eligibility cache and LISTENs on "aqb_eligibility": these triggers announce
-- each change that can alter an eligibility answer, whoever makes it (API,
-- worker, CLI, a manual SQL fix). Payload: "<appId>|<externalUserId>", or "*"
-- when every cached answer may be affected (a plan's slug, name or interval).
-- NOTIFY is transactional: it is delivered on commit, and duplicates within a
-- transaction are folded into one.

CREATE OR REPLACE FUNCTION aqb_notify_subscription_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target record;
BEGIN
  FOR target IN
    SELECT c."appId", c."externalUserId"
    FROM customers c
    WHERE c.id IN (
      CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW."customerId" END,
      CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD."customerId" END
    )
  LOOP
    PERFORM pg_notify('aqb_eligibility', target."appId" || '|' || target."externalUserId");
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER subscriptions_notify_eligibility
AFTER INSERT OR UPDATE OR DELETE ON subscriptions
FOR EACH ROW EXECUTE FUNCTION aqb_notify_subscription_change();

CREATE OR REPLACE FUNCTION aqb_notify_plan_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.slug IS DISTINCT FROM OLD.slug OR NEW.name IS DISTINCT FROM OLD.name OR NEW.interval IS DISTINCT FROM OLD.interval THEN
    PERFORM pg_notify('aqb_eligibility', '*');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER plans_notify_eligibility
AFTER UPDATE ON plans
FOR EACH ROW EXECUTE FUNCTION aqb_notify_plan_change();
