import type { Declaration } from "../model/declaration.js";

export interface ModelJsonOptions {
  /** Keep every `range`/`defRange` (and `{ value, range }` wrappers); off, values stand alone. */
  readonly ranges: boolean;
}

const defaults: Readonly<ModelJsonOptions> = Object.freeze({ ranges: false });

/**
 * The declaration as plain JSON data, what `slipway print` shows and what the valid corpus records. The
 * source file is left out; without ranges, every `Located<T>` becomes its bare value, so the output reads
 * like the declaration it came from.
 */
export function declarationToJson(declaration: Declaration, options?: Partial<ModelJsonOptions>): unknown {
  const { ranges } = { ...defaults, ...options };
  const { file: _file, ...rest } = declaration;
  return strip(rest, ranges);
}

function strip(v: unknown, ranges: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => strip(x, ranges));
  if (v === null || typeof v !== "object") return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!ranges && entries.length === 2 && "value" in (v as object) && "range" in (v as object)) {
    return strip((v as { value: unknown }).value, ranges);
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    if (!ranges && (k === "range" || k === "defRange")) continue;
    out[k] = strip(x, ranges);
  }
  return out;
}
