import { MAX_ERROR_CHARS } from "../contracts/sidecar.js";

/*
 * The end of a trainer's stderr as a failed run's error (DESIGN §6): the last lines as a terminal would leave them
 * (a line redrawn with \r shows its last drawing), escape sequences removed.
 */

const KEEP_CHARS = 32 * 1024;
export const TAIL_LINES = 20;

// CSI (colours, cursor moves, erase), OSC (titles, links) ended by BEL or ST, and the two-character escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export class StderrTail {
  private text = "";

  append(text: string): void {
    this.text += text;
    if (this.text.length > 2 * KEEP_CHARS) this.text = this.text.slice(-KEEP_CHARS);
  }

  /** The last non-blank lines, oldest first; "" when stderr was empty. */
  lines(count = TAIL_LINES): string {
    const lines = stripAnsi(this.text)
      .split("\n")
      .map((line) => line.replace(/\r+$/, ""))
      .map((line) => line.slice(line.lastIndexOf("\r") + 1).trimEnd())
      .filter((line) => line.trim() !== "");
    return lines.slice(-count).join("\n").slice(-MAX_ERROR_CHARS);
  }
}
