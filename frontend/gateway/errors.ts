import { escapeControls, LIMITS, type Diagnostic, type Range, type SourceFile } from "../../grammar/index.js";
import { toRangeJson } from "../../llb/index.js";
import { google as anyPb } from "./proto/google/protobuf/any.js";
import { google } from "./proto/google/rpc/status.js";
import type { RpcStatus } from "./client.js";

const ERRDEFS_SOURCE = "github.com/moby/buildkit/errdefs.Source+json";

/**
 * gRPC code for errors we report ourselves. BuildKit prefixes every other non-OK code's name to the
 * message ("InvalidArgument: slipway.hcl:3: …"), which users do not need to see.
 */
const CODE_UNKNOWN = 2;

/** At most this many source snippets: BuildKit prints each, and a wall of them helps nobody. */
const MAX_SNIPPETS = 8;

/**
 * Turns diagnostics into the google.rpc.Status a frontend returns: the message lists every error as
 * `FILE:LINE:COL: summary: detail`, and each error with a range carries an `errdefs.Source` detail (the
 * declaration's text and the range), so `docker build` and `buildctl` print the HCL snippet under it —
 * the same thing BuildKit does for Dockerfile errors (frontend/dockerfile/builder: wrapSource).
 */
export function diagnosticsToStatus(diagnostics: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): RpcStatus {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const shown = errors.length > 0 ? errors : diagnostics;
  const details: InstanceType<typeof anyPb.protobuf.Any>[] = [];
  for (const d of shown) {
    if (details.length >= MAX_SNIPPETS || !d.subject) continue;
    const file = files.get(d.subject.file);
    if (!file) continue;
    details.push(sourceDetail(file, d.subject));
  }
  const lines = shown.slice(0, LIMITS.diagnostics).map(formatDiagnosticLine);
  if (shown.length > LIMITS.diagnostics) lines.push(`… and ${shown.length - LIMITS.diagnostics} more, not shown.`);
  return new google.rpc.Status({ code: CODE_UNKNOWN, message: lines.join("\n"), details });
}

/** A plain error (an option, a missing file) with no source range. */
export function messageToStatus(message: string): RpcStatus {
  return new google.rpc.Status({ code: CODE_UNKNOWN, message });
}

/** One diagnostic as one line; control characters are escaped, since BuildKit prints it to a terminal. */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.subject ? `${d.subject.file}:${d.subject.start.line}:${d.subject.start.column}: ` : "";
  const detail = d.detail ? `: ${d.detail}` : "";
  const hint = d.hint ? ` (${d.hint})` : "";
  return escapeControls(`${where}${d.summary}${detail}${hint}`.replaceAll("\n", " "));
}

function sourceDetail(file: SourceFile, range: Range) {
  // errdefs details are JSON-encoded Go structs (pb.SourceInfo + []*pb.Range), not protobuf.
  const value = {
    info: { filename: file.name, data: Buffer.from(file.text, "utf8").toString("base64"), language: "HCL" },
    ranges: [toRangeJson(range)],
  };
  return new anyPb.protobuf.Any({ type_url: ERRDEFS_SOURCE, value: new Uint8Array(Buffer.from(JSON.stringify(value))) });
}
