import { expect, test } from "vitest";
import { useFormSubmission } from "./useFormSubmission";

const refused = { code: "BAD_USER_INPUT", message: "name: too long", suggestedVersion: null, fieldErrors: { name: "too long" } };

test("returns the payload and clears an earlier refusal", async () => {
  const outcomes = [
    { payload: null, failure: refused },
    { payload: { id: "e1" }, failure: null },
  ];
  const form = useFormSubmission(async () => outcomes.shift()!);
  expect(await form.submit()).toBeNull();
  expect(form.fieldErrors.value).toEqual({ name: "too long" });
  expect(await form.submit()).toEqual({ id: "e1" });
  expect(form.failure.value).toBeNull();
});

test("sends once while a request is on its way", async () => {
  let release: () => void = () => undefined;
  let calls = 0;
  const form = useFormSubmission<number>(() => {
    calls += 1;
    return new Promise((resolve) => (release = () => resolve({ payload: 1, failure: null })));
  });
  const first = form.submit();
  expect(await form.submit()).toBeNull();
  release();
  expect(await first).toBe(1);
  expect(calls).toBe(1);
});
