-- AlterTable
ALTER TABLE "GenerationJob" ADD COLUMN     "gridId" TEXT,
ADD COLUMN     "gridSeed" INTEGER,
ADD COLUMN     "gridWeight" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "GenerationGrid" (
    "id" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "adapterIds" TEXT[],
    "weights" DOUBLE PRECISION[],
    "seeds" INTEGER[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GenerationGrid_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GenerationGrid_createdAt_idx" ON "GenerationGrid"("createdAt");

-- CreateIndex
CREATE INDEX "GenerationJob_gridId_idx" ON "GenerationJob"("gridId");

-- AddForeignKey
ALTER TABLE "GenerationJob" ADD CONSTRAINT "GenerationJob_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "GenerationGrid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

