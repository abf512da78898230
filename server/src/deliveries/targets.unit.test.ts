import { describe, expect, it } from "vitest";
import { checkTarget, txt2imgUrl } from "./targets.js";

const allowed = [
  { hostname: "127.0.0.1", port: 7860 },
  { hostname: "sdnext.lan", port: null },
  { hostname: "[::1]", port: 8080 },
];

describe("checkTarget", () => {
  it.each([
    "http://127.0.0.1:7860/sdapi/v1/txt2img",
    "http://sdnext.lan/hook",
    "https://sdnext.lan/hook",
    "http://SDNEXT.lan:80/hook",
    "http://[::1]:8080/",
  ])("allows %s", (url) => {
    expect(checkTarget(url, allowed).ok).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:7861/", "host 127.0.0.1:7861 is not in DELIVERY_ALLOWED_HOSTS (allowed: 127.0.0.1:7860, sdnext.lan, [::1]:8080)"],
    ["http://sdnext.lan:8080/", "host sdnext.lan:8080 is not in DELIVERY_ALLOWED_HOSTS"],
    ["http://localhost:7860/", "host localhost:7860 is not in DELIVERY_ALLOWED_HOSTS"],
    ["http://127.0.0.1.nip.io:7860/", "is not in DELIVERY_ALLOWED_HOSTS"],
    ["ftp://sdnext.lan/", "only http and https URLs"],
    ["http://me:pw@sdnext.lan/", "credentials in the URL are not accepted"],
    ["sdnext.lan/hook", "is not an absolute URL"],
  ])("refuses %s", (url, message) => {
    const check = checkTarget(url, allowed);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(message);
  });

  it("checks the host as fetch will reach it: numeric spellings are normalised first", () => {
    const check = checkTarget("http://2130706433:7860/#frag", allowed);
    expect(check.ok && check.url.href).toBe("http://127.0.0.1:7860/");
  });

  it("allows nothing when no host is configured", () => {
    expect(checkTarget("http://127.0.0.1:7860/", [])).toEqual({ ok: false, message: "no host is allowed: an operator lists them in DELIVERY_ALLOWED_HOSTS" });
  });
});

describe("txt2imgUrl", () => {
  it.each([
    ["http://h:7860", "http://h:7860/sdapi/v1/txt2img"],
    ["http://h:7860/", "http://h:7860/sdapi/v1/txt2img"],
    ["http://h/sd/", "http://h/sd/sdapi/v1/txt2img"],
    ["http://h/sdapi/v1/txt2img", "http://h/sdapi/v1/txt2img"],
  ])("%s -> %s", (base, endpoint) => {
    expect(txt2imgUrl(new URL(base)).href).toBe(endpoint);
  });
});
