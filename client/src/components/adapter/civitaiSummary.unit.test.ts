import { expect, test } from "vitest";
import { civitaiSummary, nsfwLabel, type CivitaiMetadata } from "./civitaiSummary";

const none: CivitaiMetadata = {
  author: null, modelId: null, versionId: null, modelName: null, versionName: null, baseModel: null, archetype: null, nsfw: null, nsfwLevel: null,
  publishedAt: null, trainedWords: [], url: null, sourcePath: null, ingestedAt: null,
  stats: { downloads: null, favorites: null, comments: null, rating: null, ratingCount: null }, primaryFile: null,
};

test("summarises a Civitai model version with its community figures, file and links", () => {
  const summary = civitaiSummary({
    ...none,
    author: "nerijs", modelId: 99, versionId: 1234, modelName: "Jazz Cats", versionName: "v2.0", baseModel: "SD 1.5", archetype: "LORA", nsfw: false,
    trainedWords: ["jazzcat", "saxophone"], url: "https://civitai.com/models/99?modelVersionId=1234", sourcePath: "/loras/jazz.civitai.info",
    stats: { downloads: 12345, favorites: 7, comments: null, rating: 4.5, ratingCount: 2 },
    primaryFile: { name: "jazz.safetensors", sizeBytes: 2048, sha256: "ab".repeat(32), downloadUrl: "https://civitai.com/api/download/models/1234" },
  });
  expect(summary).toEqual({
    facts: [
      { label: "Model", value: "Jazz Cats" },
      { label: "Version", value: "v2.0" },
      { label: "Author", value: "nerijs" },
      { label: "Base model", value: "SD 1.5" },
      { label: "Type", value: "LORA" },
      { label: "Content", value: "Safe" },
      { label: "Community", value: "12,345 downloads · 7 favourites · rated 4.5 by 2" },
      { label: "Trained words", value: "jazzcat, saxophone" },
      { label: "Model and version ids", value: "99 / 1234" },
      { label: "Primary file", value: "jazz.safetensors, 2 KiB" },
      { label: "File SHA-256", value: "ab".repeat(32) },
      { label: "Read from", value: "/loras/jazz.civitai.info" },
    ],
    url: "https://civitai.com/models/99?modelVersionId=1234",
    downloadUrl: "https://civitai.com/api/download/models/1234",
  });
});

test("names Civitai's NSFW level flags", () => {
  expect(nsfwLabel(null, 1)).toBe("PG");
  expect(nsfwLabel(true, 12)).toBe("R, X");
  expect(nsfwLabel(true, null)).toBe("NSFW");
  expect(nsfwLabel(null, null)).toBeNull();
});

test("is null without metadata or with nothing worth showing", () => {
  expect(civitaiSummary(null)).toBeNull();
  expect(civitaiSummary(none)).toBeNull();
});
