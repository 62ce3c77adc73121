import { errorAt, type Result } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";

const UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const TERM = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration string ("30s", "1m30s", "1.5h", "250ms") into nanoseconds, as the image config
 * stores healthcheck timings. "0" alone is zero; a sign is not accepted, since no timing can be negative.
 * The value is undefined, with an error at `subject`, when `text` is not a duration.
 */
export function parseDuration(text: string, subject?: Range): Result<number | undefined> {
  const bad = {
    value: undefined,
    diagnostics: [errorAt(subject, "Invalid duration", `"${text}" is not a duration; write a number with a unit (ns, us, ms, s, m, h), e.g. "30s" or "1m30s".`)],
  };
  if (text === "0") return { value: 0, diagnostics: [] };
  if (text === "") return bad;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const at = TERM.lastIndex;
    const m = TERM.exec(text);
    if (!m || m.index !== at) return bad;
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  return { value: Math.round(total), diagnostics: [] };
}
