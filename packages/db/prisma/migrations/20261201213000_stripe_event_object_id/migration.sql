-- AlterTable
ALTER TABLE "stripe_events" ADD COLUMN     "objectId" VARCHAR(255);

-- CreateIndex
CREATE INDEX "stripe_events_objectId_status_idx" ON "stripe_events"("objectId", "status");


-- Events stored before this column existed: their object id is in the payload.
UPDATE "stripe_events" SET "objectId" = payload->'data'->'object'->>'id' WHERE "objectId" IS NULL;
