-- CreateEnum
CREATE TYPE "OperatorTokenScope" AS ENUM ('READ_ONLY', 'READ_WRITE');

-- CreateTable
CREATE TABLE "operator_tokens" (
    "id" TEXT NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "scope" "OperatorTokenScope" NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "tokenPrefix" VARCHAR(32) NOT NULL,
    "createdBy" VARCHAR(255) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "operator_tokens_tokenHash_key" ON "operator_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "operator_tokens_createdAt_id_idx" ON "operator_tokens"("createdAt", "id");
