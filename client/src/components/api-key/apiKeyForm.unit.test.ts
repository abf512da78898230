import { describe, expect, test } from "vitest";
import { apiKeyInput, apiKeyStatus, emptyApiKeyForm, expiryAfter, impliedBy, isSelectableLastDay } from "./apiKeyForm";

describe("impliedBy", () => {
  test("names the chosen scope that already grants another", () => {
    expect(impliedBy("READ", ["ADMIN"])).toBe("ADMIN");
    expect(impliedBy("WRITE", ["ADMIN"])).toBe("ADMIN");
    expect(impliedBy("READ", ["WRITE"])).toBe("WRITE");
  });

  test("is null for a scope nothing chosen implies", () => {
    expect(impliedBy("ADMIN", ["ADMIN"])).toBeNull();
    expect(impliedBy("READ", ["SIDECAR"])).toBeNull();
    expect(impliedBy("SIDECAR", ["ADMIN"])).toBeNull();
  });
});

describe("apiKeyInput", () => {
  test("trims the name and sends no expiry when none was picked", () => {
    expect(apiKeyInput({ ...emptyApiKeyForm(), name: "  ci  " })).toEqual({ name: "ci", scopes: ["READ"], expiresAt: null });
  });

  test("a key works through its last day: it expires when the next one starts", () => {
    const lastDay = new Date(2031, 2, 30).getTime();
    expect(apiKeyInput({ name: "ci", scopes: ["WRITE"], lastDay }).expiresAt).toBe(new Date(2031, 2, 31).toISOString());
  });
});

test("expiryAfter lands on the next midnight whatever the length of the day", () => {
  for (const [year, month, day] of [
    [2031, 2, 30],
    [2031, 9, 26],
    [2031, 11, 31],
  ] as const) {
    expect(expiryAfter(new Date(year, month, day).getTime())).toBe(new Date(year, month, day + 1).toISOString());
  }
});

test("isSelectableLastDay allows today and later", () => {
  const now = new Date(2031, 5, 15, 14, 30).getTime();
  expect(isSelectableLastDay(new Date(2031, 5, 15).getTime(), now)).toBe(true);
  expect(isSelectableLastDay(new Date(2031, 5, 16).getTime(), now)).toBe(true);
  expect(isSelectableLastDay(new Date(2031, 5, 14).getTime(), now)).toBe(false);
});

describe("apiKeyStatus", () => {
  const now = Date.parse("2031-06-15T12:00:00Z");
  test("revoked wins over expired", () => {
    expect(apiKeyStatus({ revokedAt: "2031-06-01T00:00:00Z", expiresAt: "2031-06-02T00:00:00Z" }, now)).toBe("REVOKED");
  });
  test("expired once its expiry has passed", () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: "2031-06-15T12:00:00Z" }, now)).toBe("EXPIRED");
    expect(apiKeyStatus({ revokedAt: null, expiresAt: "2031-06-16T00:00:00Z" }, now)).toBe("ACTIVE");
  });
  test("active without revocation or expiry", () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: null }, now)).toBe("ACTIVE");
  });
});
