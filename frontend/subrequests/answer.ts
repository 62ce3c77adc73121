import { sortedMap, toRangeJson } from "../../llb/index.js";
import { gw } from "../gateway/index.js";
import type { Image } from "../../grammar/index.js";

/** What every subrequest answer is: metadata only, no ref. */
export type ReturnRequest = InstanceType<typeof gw.ReturnRequest>;

type Range = Image["range"];

export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A `pb.Location` as JSON: `sourceIndex` points into the answer's `sources`. */
export interface Location {
  readonly sourceIndex: number;
  readonly ranges: readonly { readonly start: Position; readonly end: Position }[];
}

/** The answer to a subrequest: `result.json`, `result.txt` (for clients that print it as is), the version. */
export function metadataResult(json: string, txt: string, extra: Record<string, string> = {}): ReturnRequest {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return new gw.ReturnRequest({
    result: new gw.Result({
      metadata: sortedMap([
        ["result.json", utf8(json)],
        ["result.txt", utf8(txt)],
        ["version", utf8("1.0.0")],
        ...Object.entries(extra).map(([k, v]) => [k, utf8(v)] as const),
      ]),
    }),
  });
}

/** A location in the declaration, the only source of every answer (index 0). */
export function declarationLocation(range: Range): Location {
  return { sourceIndex: 0, ranges: [toRangeJson(range)] };
}

/** Rows as Go's text/tabwriter aligns them (BuildKit's printers): every cell but the last padded to its column. */
export function table(rows: readonly (readonly string[])[], padding: number): string {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length + padding)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join("")).join("\n") + "\n";
}

/** An image's description: its `org.opencontainers.image.description` label, when it has one. */
export function descriptionOf(image: Image): string | undefined {
  return image.config.labels.find((l) => l.key === "org.opencontainers.image.description")?.value;
}

export function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}
