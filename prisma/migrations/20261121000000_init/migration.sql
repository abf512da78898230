-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Modality" AS ENUM ('AUDIO', 'IMAGE', 'TEXT');

-- CreateEnum
CREATE TYPE "AdapterFormat" AS ENUM ('PEFT', 'KOHYA', 'SAFETENSORS');

-- CreateEnum
CREATE TYPE "AdapterSource" AS ENUM ('UPLOAD', 'REGISTERED', 'TRAINED', 'CIVITAI');

-- CreateTable
CREATE TABLE "BaseModel" (
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "modality" "Modality" NOT NULL,
    "family" TEXT NOT NULL,
    "version" TEXT,
    "capabilities" JSONB NOT NULL DEFAULT '{}',
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "discovered" BOOLEAN NOT NULL DEFAULT false,
    "accepts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "architecture" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BaseModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaseModelAlias" (
    "alias" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,

    CONSTRAINT "BaseModelAlias_pkey" PRIMARY KEY ("alias")
);

-- CreateTable
CREATE TABLE "Adapter" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "baseModelId" TEXT NOT NULL,
    "baseModelNameInFile" TEXT,
    "format" "AdapterFormat" NOT NULL,
    "source" "AdapterSource" NOT NULL,
    "storageKey" TEXT NOT NULL,
    "originalFilename" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL,
    "useRslora" BOOLEAN NOT NULL DEFAULT false,
    "targetModules" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tensorCount" INTEGER NOT NULL,
    "pickledWeights" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "trainedWords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "triggers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "activationText" TEXT,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "ordinal" INTEGER NOT NULL DEFAULT 0,
    "searchText" TEXT NOT NULL DEFAULT '',
    "fileMetadata" JSONB NOT NULL DEFAULT '{}',
    "warnings" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "civitai" JSONB,
    "civitaiSourcePath" TEXT,
    "civitaiSourceMtime" TIMESTAMP(3),
    "civitaiSourceSize" INTEGER,
    "trainingConfig" JSONB,
    "usageCount" INTEGER NOT NULL DEFAULT 0,
    "ratingSum" INTEGER NOT NULL DEFAULT 0,
    "ratingCount" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Adapter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BaseModelAlias_baseModelId_idx" ON "BaseModelAlias"("baseModelId");

-- CreateIndex
CREATE INDEX "Adapter_baseModelId_idx" ON "Adapter"("baseModelId");

-- CreateIndex
CREATE INDEX "Adapter_deletedAt_createdAt_idx" ON "Adapter"("deletedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Adapter_sha256_idx" ON "Adapter"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "Adapter_name_version_key" ON "Adapter"("name", "version");

-- CreateIndex
CREATE INDEX "ActivityEvent_createdAt_idx" ON "ActivityEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "BaseModelAlias" ADD CONSTRAINT "BaseModelAlias_baseModelId_fkey" FOREIGN KEY ("baseModelId") REFERENCES "BaseModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adapter" ADD CONSTRAINT "Adapter_baseModelId_fkey" FOREIGN KEY ("baseModelId") REFERENCES "BaseModel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

