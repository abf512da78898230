import { expect, test } from "vitest";
import { continueLog } from "./useRunLogs";

test("continueLog joins the chunks after the last seq, raw", () => {
  const chunks = [
    { seq: 1, data: "\u001b[1mLoRA Studio trainer\u001b[0m\n" },
    { seq: 2, data: "epoch 1/1 [#---] 1/60\repoch 1/1 [####] 60/60\n" },
  ];
  expect(continueLog(0, chunks)).toEqual({
    text: "\u001b[1mLoRA Studio trainer\u001b[0m\nepoch 1/1 [#---] 1/60\repoch 1/1 [####] 60/60\n",
    lastSeq: 2,
  });
});

test("continueLog drops chunks already written, so a page and the stream may overlap", () => {
  expect(continueLog(2, [{ seq: 2, data: "old" }, { seq: 3, data: "new" }])).toEqual({ text: "new", lastSeq: 3 });
  expect(continueLog(5, [])).toEqual({ text: "", lastSeq: 5 });
});
