import type { FileDiff, ImageDiff, LayerDiff, PlatformDiff } from "./compare.js";
import { printable } from "./errors.js";
import type { FieldChange } from "./json-changes.js";
import type { EntryState } from "./layer.js";

/**
 * The diff for a person: `identical`, or what differs, one line per difference (`~` changed, `+` only
 * in B, `-` only in A), platforms sorted, files sorted by path, digests shortened to 12 hex digits (the
 * full ones are in `--json`). Ends with a plain summary when every file that differs differs only in
 * its mtime, the usual reason a rebuild is not bit-identical.
 */
export function renderImageDiff(diff: ImageDiff): string {
  if (diff.identical) return `identical${diff.a.digest !== null && diff.a.digest === diff.b.digest ? ` (${diff.a.digest})` : ""}\n`;
  const lines: string[] = [];
  const sideLine = (name: string, s: ImageDiff["a"]) => `${name}: ${printable(s.source)}${s.digest !== null ? ` ${s.digest}` : ""}`;
  lines.push(sideLine("A", diff.a), sideLine("B", diff.b));
  if (diff.index.length > 0) lines.push("index", ...fieldLines(diff.index, "  "));
  const { onlyInA, onlyInB, reordered } = diff.platforms;
  if (onlyInA.length > 0 || onlyInB.length > 0 || reordered) {
    lines.push("platforms", ...onlyInA.map((p) => `  - ${p} (only in A)`), ...onlyInB.map((p) => `  + ${p} (only in B)`));
    if (reordered) lines.push("  ~ the index lists them in another order");
  }
  for (const image of diff.images) lines.push(...platformLines(image));
  lines.push(...diff.notes.map((n) => `note: ${n}`));
  lines.push(...summary(diff));
  return lines.map((l) => `${l}\n`).join("");
}

function platformLines(d: PlatformDiff): string[] {
  const manifest = d.manifest.a === d.manifest.b ? `${short(d.manifest.a)} (the same)` : `${short(d.manifest.a)} → ${short(d.manifest.b)}`;
  const lines = [`${d.platform}: manifest ${manifest}`];
  if (d.manifestFields.length > 0) lines.push("  manifest", ...fieldLines(d.manifestFields, "    "));
  if (d.config.a !== d.config.b) lines.push(`  config ${short(d.config.a)} → ${short(d.config.b)}`, ...fieldLines(d.configFields, "    "));
  if (d.attestation.length > 0) lines.push("  attestation", ...fieldLines(d.attestation, "    "));
  for (const layer of d.layers) lines.push(...layerLines(layer));
  lines.push(...d.notes.map((n) => `  note: ${n}`));
  return lines;
}

function layerLines(l: LayerDiff): string[] {
  const head = l.a && l.b
    ? `  layer ${l.a.number === l.b.number ? l.a.number : `${l.a.number} → ${l.b.number}`}: ${short(l.a.digest)} → ${short(l.b.digest)}`
    : l.a
      ? `  layer ${l.a.number}: only in A, ${short(l.a.digest)}`
      : `  layer ${l.b!.number}: only in B, ${short(l.b!.digest)}`;
  const count = l.files.length === 0 ? "" : `, ${l.files.length} ${l.files.length === 1 ? "entry differs" : "entries differ"}${l.onlyMtimes ? ", in mtime only" : ""}`;
  return [`${head}${count}`, ...fieldLines(l.fields, "    "), ...l.files.map(fileLine), ...(l.note !== undefined ? [`    note: ${l.note}`] : [])];
}

function fileLine(f: FileDiff): string {
  const path = printable(f.path);
  if (f.change === "added") return `    + ${path}  ${entrySummary(f.b!)}`;
  if (f.change === "removed") return `    - ${path}  ${entrySummary(f.a!)}`;
  const [a, b] = [f.a!, f.b!];
  const parts = f.fields.map((field) => {
    switch (field) {
      case "type":
        return `type ${a.type} → ${b.type}`;
      case "content":
        return `content ${short(a.sha256)} → ${short(b.sha256)} (${a.size ?? 0} → ${b.size ?? 0} bytes)`;
      case "mode":
        return `mode ${octal(a.mode)} → ${octal(b.mode)}`;
      case "owner":
        return `owner ${a.uid}:${a.gid} → ${b.uid}:${b.gid}`;
      case "mtime":
        return `mtime ${time(a.mtime)} → ${time(b.mtime)}`;
      case "link":
        return `link ${printable(a.link ?? "")} → ${printable(b.link ?? "")}`;
    }
  });
  return `    ~ ${path}  ${parts.join("; ")}`;
}

function entrySummary(e: EntryState): string {
  const base = `${e.type} ${octal(e.mode)} ${e.uid}:${e.gid}`;
  if (e.type === "file") return `${base} ${e.size ?? 0} bytes ${short(e.sha256)}`;
  if (e.link !== undefined) return `${base} → ${printable(e.link)}`;
  return base;
}

function fieldLines(changes: readonly FieldChange[], indent: string): string[] {
  return changes.map((c) => {
    if (!("a" in c)) return `${indent}+ ${c.path}: ${value(c.b)}`;
    if (!("b" in c)) return `${indent}- ${c.path}: ${value(c.a)}`;
    return `${indent}~ ${c.path}: ${value(c.a)} → ${value(c.b)}`;
  });
}

const MAX_VALUE = 200;

/** A JSON value on one line, C1 controls escaped too, long ones cut (the whole is in --json). */
function value(v: unknown): string {
  const text = (JSON.stringify(v) ?? "null").replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (${text.length} characters)` : text;
}

/** `sha256:` and 12 hex digits. */
function short(digest: string | undefined): string {
  if (digest === undefined) return "none";
  const hex = digest.replace(/^sha256:/, "");
  return `sha256:${hex.slice(0, 12)}`;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

function time(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds}s` : d.toISOString().replace(".000Z", "Z");
}

/** Says plainly when the files differ only in their mtimes, and where. */
function summary(diff: ImageDiff): string[] {
  const lines: string[] = [];
  for (const image of diff.images) {
    const withFiles = image.layers.filter((l) => l.files.length > 0);
    if (withFiles.length === 0 || !withFiles.every((l) => l.onlyMtimes)) continue;
    const layers = withFiles.map((l) => (l.b ?? l.a)!.number);
    const timeOnly = image.configFields.every((c) => /^(created|history\[\d+\]\.created|rootfs\.diff_ids\[\d+\])$/.test(c.path));
    lines.push(
      `${image.platform}: the files differ only in their mtimes (layer${layers.length === 1 ? "" : "s"} ${layers.join(", ")})` +
        (timeOnly ? ", and the config only in times and the layer digests that follow from them" : ""),
    );
  }
  return lines.length > 0 ? ["summary", ...lines.map((l) => `  ${l}`)] : [];
}
