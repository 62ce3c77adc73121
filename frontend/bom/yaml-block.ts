import { Document, stringify } from "yaml";

/**
 * Block-style YAML for a tree of plain data, byte for byte what `yaml`'s `stringify(tree, options)`
 * writes, in a fraction of its time.
 *
 * Why: bom.yaml is written on every build, edits included, after the facts arrive, so its time is on the
 * critical path of every rebuild. `yaml` builds a node for every value and decides each scalar's style
 * against its schema; for debian-tools' 60 kB document that took ~25 ms of the ~60 ms the four writers
 * take (bench/RESULTS.md). The tree's shape is fixed (maps of string keys, sequences, scalars), so the
 * layout is written here; what a scalar looks like stays the library's decision:
 *
 * - a string is written bare only when it is made of characters that never need quoting in a block
 *   value, and none of the schema's other types (numbers, booleans, null) would read it back; the
 *   schema's own tests decide that;
 * - every other string, and any number but a plain integer, is written by `yaml` itself, as the value of
 *   a one-pair map (the same context as in the document), and remembered for the rest of the document.
 *
 * Anything else (a multi-line string, `null` or `undefined`, a sequence directly inside a sequence, a key
 * that is not a bare word) is left to `stringify` for the whole tree. test/bom/yaml-block.test.ts checks
 * the two agree, on arbitrary trees and on every document of the BOM tests.
 */
export function blockYaml(tree: Readonly<Record<string, unknown>>, options: BlockYamlOptions): string {
  return writeBlockYaml(tree, options) ?? stringify(tree, options);
}

/** The document, or undefined when the tree holds something only `yaml` writes (see `blockYaml`). */
export function writeBlockYaml(tree: Readonly<Record<string, unknown>>, options: BlockYamlOptions): string | undefined {
  if (Object.keys(tree).length === 0) return undefined;
  const out = new BlockWriter(options);
  return out.map(tree, "") ? out.text : undefined;
}

/**
 * The `stringify` options this writer keeps to, and only those: no folding of long lines, no aliases, and
 * otherwise `yaml`'s defaults (2-space indent, indented sequences), which the layout here writes.
 */
export interface BlockYamlOptions {
  readonly lineWidth: 0;
  readonly minContentWidth: 0;
  readonly aliasDuplicateObjects: false;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Characters that never need quoting in a block value, and a first character that starts no indicator;
 * a space only inside, and never after a colon (`: ` would start a pair).
 */
const BARE_VALUE = /^[A-Za-z0-9_/](?:[A-Za-z0-9_./+~@=,()-]|:(?! )| (?! *$))*$/;

let otherTypes: readonly RegExp[] | undefined;

/** The default schema's tests for every type but string: a bare value matching one would not read back as a string. */
function nonStringTests(): readonly RegExp[] {
  otherTypes ??= new Document().schema.tags.flatMap((t) => ("default" in t && t.default && t.tag !== "tag:yaml.org,2002:str" && t.test ? [t.test] : []));
  return otherTypes;
}

class BlockWriter {
  text = "";
  private readonly scalars = new Map<string, string>();

  constructor(private readonly options: BlockYamlOptions) {}

  /**
   * Writes the pairs of `m` at `indent`, the first one after `first` (a sequence item's dash) when given;
   * false when `m` holds something this writer leaves to `yaml`.
   */
  map(m: Readonly<Record<string, unknown>>, indent: string, first = indent): boolean {
    let lead = first;
    for (const [key, value] of Object.entries(m)) {
      if (!BARE_KEY.test(key) || nonStringTests().some((t) => t.test(key))) return false;
      if (!this.value(`${lead}${key}:`, value, `${indent}  `)) return false;
      lead = indent;
    }
    return true;
  }

  /** Writes the items of `s` at `indent`. */
  private sequence(s: readonly unknown[], indent: string): boolean {
    for (const item of s) {
      if (Array.isArray(item)) return false;
      if (isMap(item) && Object.keys(item).length > 0) {
        // the first pair on the dash's line, the rest under it
        if (!this.map(item, `${indent}  `, `${indent}- `)) return false;
      } else if (!this.value(`${indent}-`, item, indent)) return false;
    }
    return true;
  }

  /** `lead` (a key and its colon, or a dash) and the value: on the same line when it fits on one, else below at `inner`. */
  private value(lead: string, v: unknown, inner: string): boolean {
    if (Array.isArray(v)) {
      if (v.length === 0) return this.line(`${lead} []`);
      this.text += `${lead}\n`;
      return this.sequence(v, inner);
    }
    if (isMap(v)) {
      if (Object.keys(v).length === 0) return this.line(`${lead} {}`);
      this.text += `${lead}\n`;
      return this.map(v, inner);
    }
    const s = this.scalar(v);
    return s !== undefined && this.line(`${lead} ${s}`);
  }

  private line(text: string): true {
    this.text += `${text}\n`;
    return true;
  }

  private scalar(v: unknown): string | undefined {
    if (typeof v === "number" && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
    if (typeof v === "boolean") return String(v);
    if (typeof v === "string") {
      if (v.includes("\n")) return undefined; // a block scalar's layout depends on where it sits
      if (BARE_VALUE.test(v) && !v.endsWith(":") && !nonStringTests().some((t) => t.test(v))) return v;
    } else if (typeof v !== "number") return undefined;
    const key = typeof v === "number" ? `n${v}` : `s${v}`;
    let written = this.scalars.get(key);
    if (written === undefined) {
      // the library's own writing of the value, in a block map as in the document
      written = stringify({ v }, this.options).slice("v: ".length, -1);
      this.scalars.set(key, written);
    }
    return written;
  }
}

function isMap(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
