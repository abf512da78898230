-- AlterTable
ALTER TABLE "AbTest" ADD COLUMN     "weightA" DOUBLE PRECISION,
ADD COLUMN     "weightB" DOUBLE PRECISION;

-- Existing tests keep the weights their jobs applied, else (no job was queued) their adapters' weights
UPDATE "AbTest" t SET
  "weightA" = COALESCE(
    (SELECT ja."weight" FROM "GenerationJob" j JOIN "GenerationJobAdapter" ja ON ja."jobId" = j."id" WHERE j."abTestId" = t."id" AND j."abSide" = 'A' LIMIT 1),
    (SELECT a."weight" FROM "Adapter" a WHERE a."id" = t."adapterAId")),
  "weightB" = CASE WHEN t."adapterBId" IS NULL THEN NULL ELSE COALESCE(
    (SELECT ja."weight" FROM "GenerationJob" j JOIN "GenerationJobAdapter" ja ON ja."jobId" = j."id" WHERE j."abTestId" = t."id" AND j."abSide" = 'B' LIMIT 1),
    (SELECT a."weight" FROM "Adapter" a WHERE a."id" = t."adapterBId")) END;

ALTER TABLE "AbTest" ALTER COLUMN "weightA" SET NOT NULL;
