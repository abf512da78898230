-- CreateEnum
CREATE TYPE "AbTestStatus" AS ENUM ('GENERATING', 'READY', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "AbChoice" AS ENUM ('A', 'B', 'TIE');

-- AlterTable
ALTER TABLE "GenerationJob" ADD COLUMN     "abSide" TEXT,
ADD COLUMN     "abTestId" TEXT;

-- CreateTable
CREATE TABLE "AbTest" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "adapterAId" TEXT NOT NULL,
    "adapterBId" TEXT,
    "baseModelId" TEXT NOT NULL,
    "prompts" TEXT[],
    "trialsPerPrompt" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" "AbTestStatus" NOT NULL DEFAULT 'GENERATING',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "AbTest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AbTrial" (
    "id" TEXT NOT NULL,
    "testId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "sampleAId" TEXT NOT NULL,
    "sampleBId" TEXT NOT NULL,
    "aShownFirst" BOOLEAN NOT NULL,
    "choice" "AbChoice",
    "servedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "AbTrial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdapterSignature" (
    "adapterId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "projection" BYTEA NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdapterSignature_pkey" PRIMARY KEY ("adapterId")
);

-- CreateIndex
CREATE INDEX "AbTest_createdAt_idx" ON "AbTest"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AbTrial_testId_index_key" ON "AbTrial"("testId", "index");

-- CreateIndex
CREATE INDEX "AdapterSignature_baseModelId_idx" ON "AdapterSignature"("baseModelId");

-- AddForeignKey
ALTER TABLE "GenerationJob" ADD CONSTRAINT "GenerationJob_abTestId_fkey" FOREIGN KEY ("abTestId") REFERENCES "AbTest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbTest" ADD CONSTRAINT "AbTest_adapterAId_fkey" FOREIGN KEY ("adapterAId") REFERENCES "Adapter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbTest" ADD CONSTRAINT "AbTest_adapterBId_fkey" FOREIGN KEY ("adapterBId") REFERENCES "Adapter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbTrial" ADD CONSTRAINT "AbTrial_testId_fkey" FOREIGN KEY ("testId") REFERENCES "AbTest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbTrial" ADD CONSTRAINT "AbTrial_sampleAId_fkey" FOREIGN KEY ("sampleAId") REFERENCES "Sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbTrial" ADD CONSTRAINT "AbTrial_sampleBId_fkey" FOREIGN KEY ("sampleBId") REFERENCES "Sample"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdapterSignature" ADD CONSTRAINT "AdapterSignature_adapterId_fkey" FOREIGN KEY ("adapterId") REFERENCES "Adapter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

