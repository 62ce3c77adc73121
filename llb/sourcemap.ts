/**
 * Source maps: which file an op came from, so BuildKit can show the declaration's lines when the op fails.
 * `toPbRange` is the only place in slipway where a source position becomes a BuildKit position.
 */
import type { Constraints } from "./constraints.js";
import { check } from "./errors.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** A position as grammar/ gives it: `line` and `column` 1-based, `column` in UTF-16 code units. */
export interface PositionLike {
  readonly line: number;
  readonly column: number;
}

/** The grammar's `Range`, taken structurally so llb/ does not depend on grammar/. `end` is exclusive. */
export interface RangeLike {
  readonly start: PositionLike;
  readonly end: PositionLike;
}

/**
 * The one conversion from a declaration range to `pb.Range`. Lines stay 1-based: BuildKit prints
 * `file:line` and the snippet from them. `character` is 0-based, the language-server convention that
 * editors reading BuildKit's locations use; BuildKit itself ignores it.
 */
export function toPbRange(range: RangeLike): pb.Range {
  return new pb.Range({ start: toPbPosition(range.start), end: toPbPosition(range.end) });
}

/** A range as the JSON Go's encoding/json writes for `pb.Range` (errdefs source details, subrequest answers). */
export interface RangeJson {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/** `toPbRange`, as JSON: the same conversion, for places that send BuildKit JSON rather than protobuf. */
export function toRangeJson(range: RangeLike): RangeJson {
  const r = toPbRange(range);
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function toPbPosition(position: PositionLike): pb.Position {
  const { line, column } = position;
  check(Number.isInteger(line) && line >= 1, `source line must be an integer ≥ 1, got ${line}`);
  check(Number.isInteger(column) && column >= 1, `source column must be an integer ≥ 1, got ${column}`);
  return new pb.Position({ line, character: column - 1 });
}

export interface SourceMapOptions {
  /** A linguist language name; BuildKit shows it beside the snippet. */
  readonly language: string;
  /** The definition that loaded the file, if any (`SourceInfo.definition`). */
  readonly definition?: pb.Definition;
}

const defaultSourceMapOptions: Readonly<SourceMapOptions> = Object.freeze({ language: "HCL" });

/**
 * One source file. Ops point into it through constraints from {@link SourceMap.location}; `marshal` writes
 * each distinct file once into `Definition.source.infos`.
 * @example
 * const sm = new SourceMap("slipway.hcl", text);
 * base.run({ args: ["make"], constraints: sm.location(step.range) });
 */
export class SourceMap {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly language: string;
  readonly definition: pb.Definition | undefined;

  constructor(filename: string, data: Uint8Array | string, options: Partial<SourceMapOptions> = {}) {
    check(filename !== "", "a source map needs a file name");
    const merged = { ...defaultSourceMapOptions, ...options };
    this.filename = filename;
    this.data = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.language = merged.language;
    this.definition = merged.definition;
  }

  /** Constraints that place an op at `ranges` of this file. */
  location(ranges: RangeLike | readonly RangeLike[]): Constraints {
    const list = isRangeList(ranges) ? ranges : [ranges];
    check(list.length > 0, `a location in ${this.filename} needs at least one range`);
    return Object.freeze({ locations: Object.freeze([Object.freeze({ sourceMap: this, ranges: list.map(toPbRange) })]) });
  }

  /** The file as BuildKit's `SourceInfo`: in a Definition's source map, or beside a warning's ranges. */
  info(): pb.SourceInfo {
    return new pb.SourceInfo({
      filename: this.filename,
      data: this.data,
      language: this.language,
      ...(this.definition && { definition: this.definition }),
    });
  }

  /** Same file content and metadata (Go's `equalSourceMap`), so two maps of one file share an index. */
  sameAs(other: SourceMap): boolean {
    return (
      this === other ||
      (this.filename === other.filename &&
        this.language === other.language &&
        bytesEqual(this.data, other.data) &&
        this.definition === other.definition)
    );
  }
}

function isRangeList(ranges: RangeLike | readonly RangeLike[]): ranges is readonly RangeLike[] {
  return Array.isArray(ranges);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
