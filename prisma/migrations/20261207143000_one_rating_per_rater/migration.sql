-- DropIndex
DROP INDEX "Rating_sampleId_idx";

-- AlterTable: ratings given before raters were told apart each count as their own rater's
ALTER TABLE "Rating" ADD COLUMN     "rater" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "Rating" SET "rater" = 'legacy:' || "id";
ALTER TABLE "Rating" ALTER COLUMN "rater" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Rating_sampleId_rater_key" ON "Rating"("sampleId", "rater");

-- An adapter's rating aggregates count the ratings of its single-adapter jobs' samples, each once
UPDATE "Adapter" a SET
  "ratingSum" = COALESCE((SELECT sum(r."score") FROM "Rating" r JOIN "Sample" s ON s."id" = r."sampleId" JOIN "GenerationJobAdapter" ja ON ja."jobId" = s."jobId"
    WHERE ja."adapterId" = a."id" AND (SELECT count(*) FROM "GenerationJobAdapter" other WHERE other."jobId" = s."jobId") = 1), 0),
  "ratingCount" = (SELECT count(*) FROM "Rating" r JOIN "Sample" s ON s."id" = r."sampleId" JOIN "GenerationJobAdapter" ja ON ja."jobId" = s."jobId"
    WHERE ja."adapterId" = a."id" AND (SELECT count(*) FROM "GenerationJobAdapter" other WHERE other."jobId" = s."jobId") = 1);
