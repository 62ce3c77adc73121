export type DurationResult = { readonly ok: true; readonly nanoseconds: number } | { readonly ok: false; readonly message: string };

const UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const TERM = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration string ("30s", "1m30s", "1.5h", "250ms") into nanoseconds, as the image config
 * stores healthcheck timings. "0" alone is zero; a sign is not accepted, since no timing can be negative.
 */
export function parseDuration(text: string): DurationResult {
  const bad = { ok: false as const, message: `"${text}" is not a duration; write a number with a unit (ns, us, ms, s, m, h), e.g. "30s" or "1m30s"` };
  if (text === "0") return { ok: true, nanoseconds: 0 };
  if (text === "") return bad;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const at = TERM.lastIndex;
    const m = TERM.exec(text);
    if (!m || m.index !== at) return bad;
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  return { ok: true, nanoseconds: Math.round(total) };
}
