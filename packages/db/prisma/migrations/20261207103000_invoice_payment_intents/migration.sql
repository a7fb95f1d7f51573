-- AlterEnum: operator-issued invoices.
ALTER TYPE "InvoiceSource" ADD VALUE 'ISSUED';

-- AlterTable: due date and the payment intent's last failure and read ticket.
ALTER TABLE "invoices" ADD COLUMN "dueAt" TIMESTAMPTZ(3),
ADD COLUMN "paymentFailureReason" VARCHAR(1024),
ADD COLUMN "paymentFailedAt" TIMESTAMPTZ(3),
ADD COLUMN "paymentReadTicket" BIGINT;

-- CreateIndex: one invoice per payment intent (an invoice's payment intent is its own in Stripe, so existing rows are distinct).
CREATE UNIQUE INDEX "invoices_stripePaymentIntentId_key" ON "invoices"("stripePaymentIntentId");
