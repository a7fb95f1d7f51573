-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "description" VARCHAR(1024);

