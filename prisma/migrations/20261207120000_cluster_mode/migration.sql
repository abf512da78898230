-- AlterTable
ALTER TABLE "GenerationJob" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "logSeqOffset" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Sidecar" ADD COLUMN     "connectionId" TEXT;
