import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client.js";
import { loadSnapshot } from "../../test/pglite-snapshot.js";
import { BaseModelService, compatibilityOf } from "./service.js";

describe("BaseModelService on PGlite", () => {
  let db: Database;
  let service: BaseModelService;

  beforeAll(async () => {
    db = await openDatabase({ pgliteSnapshot: await loadSnapshot() });
    service = new BaseModelService(db.prisma);
    await service.seedCatalogue();
  });
  afterAll(async () => db?.close());

  it("seeds the catalogue idempotently", async () => {
    const count = await db.prisma.baseModel.count();
    await service.seedCatalogue();
    expect(await db.prisma.baseModel.count()).toBe(count);
    expect(count).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ["runwayml/stable-diffusion-v1-5", "sd15"],
    ["sd_v1", "sd15"],
    ["SD 1.5", "sd15"],
    ["sdxl_base_v1-0", "sdxl"],
    ["SDXL 1.0", "sdxl"],
    ["  Pony ", "pony-xl"],
    ["facebook/musicgen-medium", "musicgen-medium"],
    ["meta-llama/Meta-Llama-3-8B-Instruct", "llama-3-8b"],
  ])("resolves the name %j found in a file to %s", async (name, id) => {
    const model = await service.resolveForAdapter(db.prisma, null, name, "IMAGE");
    expect(model.id).toBe(id);
  });

  it("discovers an unknown name once, then finds it by alias", async () => {
    const first = await service.resolveForAdapter(db.prisma, null, "Acme/Mystery-7B", "TEXT");
    const again = await service.resolveForAdapter(db.prisma, null, "acme/mystery-7b", "TEXT");
    expect(first).toMatchObject({ id: "discovered-acme-mystery-7b", discovered: true, modality: "TEXT" });
    expect(again.id).toBe(first.id);
  });

  it("prefers the caller's choice and refuses an unknown one", async () => {
    expect((await service.resolveForAdapter(db.prisma, "sdxl", "sd_v1", "IMAGE")).id).toBe("sdxl");
    await expect(service.resolveForAdapter(db.prisma, "nope", null, "IMAGE")).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(service.resolveForAdapter(db.prisma, null, null, "IMAGE")).rejects.toThrow(/baseModelId/);
  });

  it("explains compatibility in words", async () => {
    const [sd15, sdxl, pony] = await Promise.all(["sd15", "sdxl", "pony-xl"].map((id) => db.prisma.baseModel.findUniqueOrThrow({ where: { id } })));
    expect(compatibilityOf(sd15!, sd15!, "sd15")).toEqual({ compatible: true, reason: "Made for Stable Diffusion 1.5" });
    expect(compatibilityOf(sdxl!, pony!, "pony-xl").compatible).toBe(true);
    expect(compatibilityOf(pony!, sdxl!, "sdxl")).toEqual({ compatible: false, reason: "Requires Pony Diffusion V6 XL; Stable Diffusion XL 1.0 is selected" });
    expect(compatibilityOf(sd15!, null, "x")).toEqual({ compatible: false, reason: "Unknown base model 'x'" });
    expect(await service.compatibleIds("pony-xl")).toEqual(["pony-xl", "sdxl"]);
  });
});
