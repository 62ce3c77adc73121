import { check } from "./errors.js";

/**
 * An immutable, ordered list of environment variables. The order is the order of first definition and is
 * part of an exec op's bytes; setting an existing key replaces its value in place (as Docker does for an
 * image config's `Env`), so a later `set` never reorders.
 */
export class EnvList {
  static readonly empty = new EnvList([]);

  private constructor(private readonly entries: readonly (readonly [string, string])[]) {}

  /** Reads `KEY=value` strings (an image config's `Env`); entries without "=" get an empty value. */
  static fromArray(pairs: readonly string[]): EnvList {
    let list = EnvList.empty;
    for (const pair of pairs) {
      const at = pair.indexOf("=");
      const key = at < 0 ? pair : pair.slice(0, at);
      if (key === "") continue; // Go's WithImageConfig skips these too
      list = list.set(key, at < 0 ? "" : pair.slice(at + 1));
    }
    return list;
  }

  get size(): number {
    return this.entries.length;
  }

  get(key: string): string | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }

  set(key: string, value: string): EnvList {
    check(key !== "" && !key.includes("="), `invalid environment variable name ${JSON.stringify(key)}`);
    const at = this.entries.findIndex(([k]) => k === key);
    if (at < 0) return new EnvList([...this.entries, [key, value]]);
    if (this.entries[at]![1] === value) return this;
    const entries = [...this.entries];
    entries[at] = [key, value];
    return new EnvList(entries);
  }

  /** Sets `key` only when it is absent. */
  setDefault(key: string, value: string): EnvList {
    return this.has(key) ? this : this.set(key, value);
  }

  delete(key: string): EnvList {
    return this.has(key) ? new EnvList(this.entries.filter(([k]) => k !== key)) : this;
  }

  keys(): string[] {
    return this.entries.map(([k]) => k);
  }

  /** `KEY=value` strings in order, the form of `Meta.env`. */
  toArray(): string[] {
    return this.entries.map(([k, v]) => `${k}=${v}`);
  }
}
