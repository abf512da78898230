-- CreateEnum
CREATE TYPE "SampleKind" AS ENUM ('AUDIO', 'IMAGE');

-- AlterTable
ALTER TABLE "GenerationJob" ADD COLUMN     "backend" TEXT;

-- AlterTable
ALTER TABLE "Sample" ADD COLUMN     "height" INTEGER,
ADD COLUMN     "info" JSONB,
ADD COLUMN     "kind" "SampleKind" NOT NULL DEFAULT 'AUDIO',
ADD COLUMN     "parameters" TEXT,
ADD COLUMN     "seed" INTEGER,
ADD COLUMN     "width" INTEGER,
ALTER COLUMN "notes" DROP NOT NULL,
ALTER COLUMN "durationSeconds" DROP NOT NULL;

