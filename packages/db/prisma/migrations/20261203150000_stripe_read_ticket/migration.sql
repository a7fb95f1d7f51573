-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "stripeReadTicket" BIGINT;

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "stripeReadTicket" BIGINT;

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "stripeReadTicket" BIGINT;

-- Applying a Stripe read that finds the row already up to date still records its ticket (so an older read
-- that commits later cannot overwrite it). Such a ticket-only update is bookkeeping, not a change: it must
-- not stamp "updatedAt" nor announce an eligibility change.
CREATE OR REPLACE FUNCTION aqb_only_read_ticket_changed(old_row jsonb, new_row jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT old_row->'stripeReadTicket' IS DISTINCT FROM new_row->'stripeReadTicket'
     AND (old_row - 'stripeReadTicket' - 'updatedAt') = (new_row - 'stripeReadTicket' - 'updatedAt')
$$;

DROP TRIGGER subscriptions_set_updated_at ON subscriptions;
CREATE TRIGGER subscriptions_set_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW
  WHEN (NOT aqb_only_read_ticket_changed(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION aqb_set_updated_at();
DROP TRIGGER invoices_set_updated_at ON invoices;
CREATE TRIGGER invoices_set_updated_at BEFORE UPDATE ON invoices FOR EACH ROW
  WHEN (NOT aqb_only_read_ticket_changed(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION aqb_set_updated_at();
DROP TRIGGER refunds_set_updated_at ON refunds;
CREATE TRIGGER refunds_set_updated_at BEFORE UPDATE ON refunds FOR EACH ROW
  WHEN (NOT aqb_only_read_ticket_changed(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION aqb_set_updated_at();

DROP TRIGGER subscriptions_notify_eligibility ON subscriptions;
CREATE TRIGGER subscriptions_notify_eligibility_insert_delete AFTER INSERT OR DELETE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION aqb_notify_subscription_change();
CREATE TRIGGER subscriptions_notify_eligibility AFTER UPDATE ON subscriptions FOR EACH ROW
  WHEN (NOT aqb_only_read_ticket_changed(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION aqb_notify_subscription_change();
