import { BomInputError } from "./errors.js";

const SHA256 = /^[0-9a-f]{64}$/;
const SHA1 = /^[0-9a-f]{40}$/;
const FINGERPRINT = /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/;

export function show(x: unknown): string {
  return x === undefined ? "nothing" : JSON.stringify(x);
}

/** Collects problems instead of stopping at the first, and normalises values as it checks them. */
export class Validator {
  readonly #problems: string[] = [];

  problem(at: string, message: string): void {
    this.#problems.push(`${at}: ${message}`);
  }

  throwIfAny(): void {
    if (this.#problems.length > 0) throw new BomInputError(this.#problems);
  }

  string(at: string, x: unknown): string {
    if (typeof x === "string") return x;
    this.problem(at, `must be a string, got ${show(x)}`);
    return "";
  }

  text(at: string, x: unknown): string {
    const s = this.string(at, x);
    if (typeof x === "string" && s.trim() === "") this.problem(at, "must not be empty");
    return s;
  }

  match(at: string, x: unknown, re: RegExp, expected: string): string {
    const s = this.string(at, x);
    if (typeof x === "string" && !re.test(s)) this.problem(at, `must be ${expected}, got ${show(x)}`);
    return s;
  }

  oneOf<T extends string>(at: string, x: unknown, allowed: readonly T[]): T {
    if (allowed.includes(x as T)) return x as T;
    this.problem(at, `must be one of ${allowed.join(", ")}; got ${show(x)}`);
    return allowed[0]!;
  }

  integer(at: string, x: unknown, min: number, max: number): number {
    if (typeof x === "number" && Number.isInteger(x) && x >= min && x <= max) return x;
    this.problem(at, `must be an integer from ${min} to ${max}, got ${show(x)}`);
    return 0;
  }

  sha256(at: string, x: unknown): string {
    const s = this.string(at, x).replace(/^sha256:/i, "").toLowerCase();
    if (typeof x === "string" && !SHA256.test(s)) this.problem(at, `must be a sha256 (64 hex digits), got ${show(x)}`);
    return s;
  }

  sha1(at: string, x: unknown): string {
    const s = this.string(at, x).replace(/^sha1:/i, "").toLowerCase();
    if (typeof x === "string" && !SHA1.test(s)) this.problem(at, `must be a sha1 (40 hex digits), got ${show(x)}`);
    return s;
  }

  fingerprint(at: string, x: unknown): string {
    const s = this.string(at, x).replace(/\s+/g, "").toUpperCase();
    if (typeof x === "string" && !FINGERPRINT.test(s)) this.problem(at, `must be an OpenPGP fingerprint (40 or 64 hex digits), got ${show(x)}`);
    return s;
  }

  absolutePath(at: string, x: unknown): string {
    const s = this.string(at, x);
    const segments = s.split("/").slice(1);
    if (typeof x === "string" && (!s.startsWith("/") || s === "/" || segments.some((p) => p === "" || p === "." || p === ".."))) {
      this.problem(at, `must be a clean absolute path, got ${show(x)}`);
    }
    return s;
  }

  /** Drops exact duplicates; two different entries with one key is a problem. Expects `sorted` sorted. */
  unique<T>(at: string, sorted: T[], key: (x: T) => string): T[] {
    const out: T[] = [];
    const seen = new Map<string, string>();
    for (const x of sorted) {
      const k = key(x);
      const json = JSON.stringify(x);
      const previous = seen.get(k);
      if (previous === undefined) {
        seen.set(k, json);
        out.push(x);
      } else if (previous !== json) {
        this.problem(at, `two different entries for ${show(k)}`);
      }
    }
    return out;
  }
}
