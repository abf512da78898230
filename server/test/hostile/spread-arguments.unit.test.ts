import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Issue 10, item 2: `Math.max(...notes)` overflowed the stack on a dense MIDI file. Every element spread into a call
 * is one argument on the stack, so spreading data of unbounded length into a call throws a RangeError past roughly
 * 100,000 elements. Loops and reduce do not.
 */

const SRC = fileURLToPath(new URL("../../src", import.meta.url));
/** Calls whose arguments are, in practice, data: every spread into them is refused. */
const DATA_CALLS = new Set(["Math.max", "Math.min", "String.fromCharCode", "String.fromCodePoint"]);
/** Appending calls: a spread of a variable or a field (data handed in) is refused; a literal or a call's result is the caller's own. */
const APPENDS = /\.(push|unshift)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** `f.apply(this, array)` is a spread by another name. */
function isUnboundedSpread(call: ts.CallExpression, source: ts.SourceFile): boolean {
  const callee = call.expression.getText(source);
  if (callee.endsWith(".apply")) return true;
  const spreads = call.arguments.filter(ts.isSpreadElement);
  if (DATA_CALLS.has(callee)) return spreads.length > 0;
  return APPENDS.test(callee) && spreads.some((spread) => ts.isIdentifier(spread.expression) || ts.isPropertyAccessExpression(spread.expression));
}

function unboundedSpreads(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isUnboundedSpread(node, source)) {
      found.push(`${relative(SRC, path)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(source).slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("no unbounded spread into a call", () => {
  it("finds none in server/src: Math.max/min and String.fromCharCode take no spread, push and unshift no spread of data, no apply", () => {
    expect(sourceFiles(SRC).flatMap(unboundedSpreads)).toEqual([]);
  });
});
