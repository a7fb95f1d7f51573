-- CreateIndex
CREATE INDEX "invoices_createdAt_id_idx" ON "invoices"("createdAt", "id");
