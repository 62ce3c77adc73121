import { sha256Hex } from "../oci/index.js";

/**
 * SPDX element ids (`SPDXRef-` + letters, digits, `.` and `-`), readable where possible and unique always.
 * A part with other characters is rewritten (`+` → `-`) and then gets 8 hex digits of its key's sha256, as
 * does any id that would otherwise collide with one already handed out. Allocation happens in the writers'
 * fixed order, so ids are the same on every run.
 */
export class SpdxIds {
  readonly #byKey = new Map<string, string>();
  readonly #taken = new Set<string>();

  /** The id for `key` (any string that identifies the element), made from `readable` parts. */
  id(key: string, ...readable: string[]): string {
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const raw = readable.join("-");
    const safe = raw.replace(/[^A-Za-z0-9.-]/g, "-");
    let id = `SPDXRef-${safe}`;
    if (safe !== raw || this.#taken.has(id)) id = `${id}-${sha256Hex(key).slice(0, 8)}`;
    for (let n = 2; this.#taken.has(id); n++) id = `SPDXRef-${safe}-${sha256Hex(`${key}#${n}`).slice(0, 8)}`;
    this.#byKey.set(key, id);
    this.#taken.add(id);
    return id;
  }
}
