-- AlterTable
ALTER TABLE "Adapter" ADD COLUMN     "civitaiIngestedAt" TIMESTAMP(3),
ADD COLUMN     "notes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "previewSampleId" TEXT,
ALTER COLUMN "ordinal" DROP NOT NULL,
ALTER COLUMN "ordinal" DROP DEFAULT;

-- An ordinal of 0 was the default, not a choice: unset it, so that it sorts after the ordinals that were set.
UPDATE "Adapter" SET "ordinal" = NULL WHERE "ordinal" = 0;

-- Civitai metadata stored before this column was read in when its source file was last seen.
UPDATE "Adapter" SET "civitaiIngestedAt" = "updatedAt" WHERE "civitai" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "Adapter" ADD CONSTRAINT "Adapter_previewSampleId_fkey" FOREIGN KEY ("previewSampleId") REFERENCES "Sample"("id") ON DELETE SET NULL ON UPDATE CASCADE;
