/** One field that differs: its path (`config.Env[2]`, `history[0].created`) and the value on each side. */
export interface FieldChange {
  readonly path: string;
  /** Absent when the field is absent on that side. */
  readonly a?: unknown;
  readonly b?: unknown;
}

/**
 * The leaves in which two JSON values differ, in a fixed order: object keys sorted, array elements by
 * index. A value whose type differs (or that exists on one side only) is one change, not its leaves.
 * `skip` leaves out paths compared elsewhere.
 */
export function jsonChanges(a: unknown, b: unknown, path = "", skip: (path: string) => boolean = () => false): FieldChange[] {
  const out: FieldChange[] = [];
  walk(a, b, path, skip, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, skip: (path: string) => boolean, out: FieldChange[]): void {
  if (skip(path) || sameJson(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, skip, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], join(path, key), skip, out);
    return;
  }
  out.push({ path, ...(a !== undefined && { a }), ...(b !== undefined && { b }) });
}

/** `config.Env`, `config.Labels["org.opencontainers.image.source"]`. */
function join(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Equality of JSON values, key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}
