import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { DeliveryService } from "./service.js";

export interface DeliveryImageRoute {
  deliveryId: string;
  index: number;
}

const ROUTE = /^\/deliveries\/([\w-]{1,64})\/images\/(\d{1,2})\.png$/;

export function imageUrl(deliveryId: string, index: number): string {
  return `/deliveries/${deliveryId}/images/${index}.png`;
}

/** /deliveries/<id>/images/<n>.png: an image an SD.Next delivery returned. */
export function deliveryImageRoute(path: string): DeliveryImageRoute | null {
  const match = ROUTE.exec(path);
  return match ? { deliveryId: match[1]!, index: Number(match[2]) } : null;
}

/** Streams the stored PNG (validated when it was stored) or answers 404. */
export async function serveDeliveryImage(deliveries: DeliveryService, route: DeliveryImageRoute, res: ServerResponse): Promise<void> {
  const image = await deliveries.readImage(route.deliveryId, route.index);
  if (!image) {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "no such delivery image" }));
    return;
  }
  res.writeHead(200, { "content-type": "image/png", "x-content-type-options": "nosniff", "cache-control": "private, max-age=3600" });
  await pipeline(image, res).catch(() => void res.destroy());
}
