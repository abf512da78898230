import type { AllowedHost } from "../config/deliveries.js";

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };
const TXT2IMG_PATH = "/sdapi/v1/txt2img";

export type TargetCheck = { ok: true; url: URL } | { ok: false; message: string };

const shown = (hosts: AllowedHost[]) => hosts.map((h) => (h.port === null ? h.hostname : `${h.hostname}:${h.port}`)).join(", ");

/**
 * Whether a delivery may POST to `text`: http(s), no credentials, and its host in DELIVERY_ALLOWED_HOSTS.
 * An entry without a port allows the scheme's default port only, so allowing a host never opens its other services.
 */
export function checkTarget(text: string, allowed: AllowedHost[]): TargetCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `${JSON.stringify(text.slice(0, 200))} is not an absolute URL; write it like http://127.0.0.1:7860` };
  }
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) return { ok: false, message: `only http and https URLs can be delivered to, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, message: "credentials in the URL are not accepted: they would be stored and shown with the delivery" };
  const port = url.port === "" ? defaultPort : Number(url.port);
  const hostname = url.hostname.toLowerCase();
  if (allowed.some((entry) => entry.hostname === hostname && (entry.port ?? defaultPort) === port)) {
    url.hash = "";
    return { ok: true, url };
  }
  if (allowed.length === 0) return { ok: false, message: "no host is allowed: an operator lists them in DELIVERY_ALLOWED_HOSTS" };
  return { ok: false, message: `host ${url.host} is not in DELIVERY_ALLOWED_HOSTS (allowed: ${shown(allowed)})` };
}

/** SD.Next / AUTOMATIC1111's txt2img endpoint under a base URL (the full endpoint URL is kept as given). */
export function txt2imgUrl(base: URL): URL {
  const url = new URL(base.href);
  if (!url.pathname.endsWith(TXT2IMG_PATH)) url.pathname = `${url.pathname.replace(/\/+$/, "")}${TXT2IMG_PATH}`;
  return url;
}
