import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pngImage } from "./png-fixture.js";

/* What deliveries reach in the tests: real HTTP receivers on loopback. */

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: any;
}

/** A real 1×1 PNG, as SD.Next answers with. */
export const PNG = pngImage(1, 1);

/** The parts of A1111's Processed.js() that SD.Next's txt2img answers with, for one image of seed 42. */
export const TXT2IMG_INFO = JSON.stringify({ all_seeds: [42], infotexts: ["a cat\nSteps: 12, Seed: 42"], index_of_first_image: 0 });

/** SD.Next's /sdapi/v1/txt2img, webhooks that answer 200, 400 or 503-then-200, and one that hangs until released. */
export class Receiver {
  readonly received: Received[] = [];
  private flakyCalls = 0;
  private hanging: ServerResponse[] = [];
  hang = true;
  server: Server = createServer((req, res) => void this.handle(req, res));

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    this.received.push({ path, headers: req.headers, body: text ? JSON.parse(text) : null });
    const json = (status: number, body: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    switch (path) {
      case "/sd/sdapi/v1/txt2img":
        return json(200, { images: [PNG.toString("base64")], parameters: JSON.parse(text), info: TXT2IMG_INFO });
      case "/sd-broken/sdapi/v1/txt2img":
        return json(200, { images: [Buffer.from("GIF89a, not a PNG").toString("base64")], parameters: {}, info: TXT2IMG_INFO });
      case "/hook":
        return json(200, { ok: true });
      case "/flaky":
        return this.flakyCalls++ === 0 ? json(503, { detail: "loading model" }) : json(200, { ok: "second time" });
      case "/reject":
        return json(400, { detail: "prompt refused" });
      case "/slow":
        if (this.hang) return void this.hanging.push(res);
        return json(200, { ok: "after restart" });
      default:
        return json(404, { detail: "no route" });
    }
  }
}
