import type { BomDiff, FileState, PackageChange, PackageState, SourceChange, SourceState } from "./diff.js";
import { formatMode } from "./origins.js";

/**
 * The diff as review text, one line per change (`+` added, `-` removed, `~` changed), base image first,
 * then packages, sources and files, each sorted by name or path. Empty when nothing changed.
 *
 * A source package change that the package lines already show (the same version move, or a new or gone
 * source whose binaries are listed) is not repeated; sources get their own line only for what no package
 * line says, such as different source files at the same version.
 */
export function renderBomDiff(diff: BomDiff): string {
  const lines: string[] = [];
  if (diff.baseImage !== undefined) lines.push(`~ base image ${diff.baseImage.before} → ${diff.baseImage.after}`);
  const { packages, sources, files } = diff;
  for (const p of packages.removed) lines.push(`- package ${packageId(p)} ${p.version}${sourceNote(p)}`);
  for (const p of packages.added) lines.push(`+ package ${packageId(p)} ${p.version}${sourceNote(p)}`);
  for (const c of packages.changed) lines.push(`~ package ${packageId(c.before)} ${packageChange(c)}`);
  const explained = (s: SourceState, side: "before" | "after") =>
    [...packages.added, ...packages.removed, ...packages.changed.map((c) => c[side])].some(
      (p) => p.source.name === s.name && s.versions.includes(p.source.version),
    );
  for (const s of sources.removed) if (!explained(s, "before")) lines.push(`- source ${s.name} ${s.versions.join(", ")}`);
  for (const s of sources.added) if (!explained(s, "after")) lines.push(`+ source ${s.name} ${s.versions.join(", ")}`);
  for (const c of sources.changed) if (!(c.fields.length === 1 && c.fields[0] === "versions" && sourceMoveShown(c, packages.changed))) lines.push(`~ source ${c.name} ${sourceChange(c)}`);
  for (const f of files.removed) lines.push(`- file ${f.path} ${fileSummary(f)}`);
  for (const f of files.added) lines.push(`+ file ${f.path} ${fileSummary(f)}`);
  for (const c of files.changed) lines.push(`~ file ${c.path} ${fileChange(c.before, c.after, c.fields)}`);
  return lines.map((l) => `${l}\n`).join("");
}

function packageId(p: PackageState): string {
  return `${p.name}:${p.architecture}`;
}

function sourceNote(p: PackageState): string {
  return p.source.name === p.name && p.source.version === p.version ? "" : ` (source ${p.source.name} ${p.source.version})`;
}

function packageChange(c: PackageChange): string {
  const parts: string[] = [];
  if (c.fields.includes("version")) parts.push(`${c.before.version} → ${c.after.version}`);
  else parts.push(c.after.version);
  if (c.fields.includes("source") && !sourceTracksVersion(c)) parts.push(`source ${c.before.source.name} ${c.before.source.version} → ${c.after.source.name} ${c.after.source.version}`);
  if (c.fields.includes("deb")) parts.push(`.deb ${short(c.before.sha256)} → ${short(c.after.sha256)}`);
  if (c.fields.includes("vcs")) parts.push(`vcs ${c.before.vcs ?? "none"} → ${c.after.vcs ?? "none"}`);
  return parts.join("; ");
}

/** The source moved with the binary: same source name, and its version is the binary's on both sides. */
function sourceTracksVersion(c: PackageChange): boolean {
  return c.before.source.name === c.after.source.name && c.before.source.version === c.before.version && c.after.source.version === c.after.version;
}

/** A version move of a source is shown when some changed package moved from one of its versions to another. */
function sourceMoveShown(c: SourceChange, changed: readonly PackageChange[]): boolean {
  return changed.some(
    (p) =>
      p.before.source.name === c.name &&
      p.after.source.name === c.name &&
      c.before.versions.includes(p.before.source.version) &&
      c.after.versions.includes(p.after.source.version),
  );
}

function sourceChange(c: SourceChange): string {
  if (c.fields.includes("versions")) return `${c.before.versions.join(", ")} → ${c.after.versions.join(", ")}`;
  const parts = [c.after.versions.join(", ")];
  if (c.fields.includes("files")) {
    const gone = c.before.files.filter((f) => !c.after.files.includes(f));
    const come = c.after.files.filter((f) => !c.before.files.includes(f));
    parts.push(`source files ${gone.map(shortFile).join(", ") || "none"} → ${come.map(shortFile).join(", ") || "none"}`);
  }
  if (c.fields.includes("vcs")) parts.push(`vcs ${c.before.vcs.join(", ") || "none"} → ${c.after.vcs.join(", ") || "none"}`);
  return parts.join("; ");
}

function fileSummary(f: FileState): string {
  return `${short(f.sha256)} ${formatMode(f.mode)} ${f.size} bytes from ${f.origin}`;
}

function fileChange(a: FileState, b: FileState, fields: readonly string[]): string {
  const parts: string[] = [];
  if (fields.includes("content")) parts.push(`${short(a.sha256)} → ${short(b.sha256)} (${a.size} → ${b.size} bytes)`);
  if (fields.includes("mode")) parts.push(`mode ${formatMode(a.mode)} → ${formatMode(b.mode)}`);
  if (fields.includes("origin")) parts.push(`from ${a.origin} → ${b.origin}`);
  return parts.join("; ");
}

/** `sha256:` and the first 12 hex digits: enough to tell digests apart in review, full ones are in --json. */
function short(sha256: string | undefined): string {
  return sha256 === undefined ? "unknown" : `sha256:${sha256.slice(0, 12)}`;
}

function shortFile(entry: string): string {
  const [name, digest] = entry.split(" ");
  return `${name} ${short(digest?.replace(/^sha256:/, ""))}`;
}
