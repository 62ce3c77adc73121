import { createHash } from "node:crypto";
import { posix } from "node:path";
import { DiagnosticsError, errorAt, type Diagnostic } from "../../grammar/index.js";
import type { BomFile } from "../bom/index.js";
import type { PlannedFile } from "../compile/index.js";
import { originAt, type MeasureRequest } from "../bom-worker/index.js";
import type { BuildSession } from "../solve/index.js";

/** Go's os.FileMode bits, as BuildKit's StatFile and ReadDir report a file's mode. */
const GO_MODE = {
  dir: 0x80000000,
  symlink: 0x08000000,
  /** Every type bit: directory, symlink, device, pipe, socket, char device, irregular. */
  type: 0x80000000 | 0x08000000 | 0x04000000 | 0x02000000 | 0x01000000 | 0x00200000 | 0x00080000,
  setuid: 0x00800000,
  setgid: 0x00400000,
  sticky: 0x00100000,
} as const;

/**
 * Measures one planned copy through the gateway, with no exec: sha256, sha1, size and mode of each
 * regular file at (or, for a directory copy, under) its destination, read from `ref` (a copy of just
 * that file, made as the image's copy is), as the worker measures the other files. Used for context
 * files that are not one regular file (see `measureSourceFile`), which change on every edit: a read of a
 * few files costs a round trip or two, a container start costs a whole-image mount.
 */
export async function measureCopied(session: BuildSession, { planned, request, ref }: { planned: PlannedFile; request: MeasureRequest; ref: string }): Promise<BomFile[]> {
  const dest = request.destination;
  const found = await session.stat(ref, dest);
  if (!found) {
    throw new DiagnosticsError([errorAt(planned.entry.destination.range, "File missing from its copy", `${dest} is not where its copy put it, so the bill of materials cannot state it.`)]);
  }
  const entries = (found.mode & GO_MODE.dir) !== 0 ? await walk(session, ref, dest) : [{ path: dest, mode: found.mode, size: found.size }];
  return Promise.all(
    entries
      .filter((e) => (e.mode & GO_MODE.type) === 0)
      .map(async (e): Promise<BomFile> => {
        const bytes = await session.readFile(ref, e.path, Number(e.size));
        const relative = e.path === dest ? "" : e.path.slice(dest.length).replace(/^\/+/, "");
        return measured(e.path, bytes, unixMode(e.mode), originAt(request, relative, new Map()));
      }),
  );
}

/**
 * Measures a context file where the image's copy reads it, when that is one regular file: the copy writes
 * those bytes unchanged, with the declared mode or else the file's own, so no copy has to be made just to
 * be measured (a new snapshot, its commit and its mount on every edit: bench/RESULTS.md, "Issue 15, tenth
 * stop"). `ref` is the copy's source, solved. Undefined for anything else (a directory, a path that is not
 * there, a copy with options of its own), which the caller measures in a copy made as the image's
 * (`measureCopied`). A symbolic link is refused: the copy puts the link itself in the image, and the BOM
 * states regular files, so nothing could account for it.
 */
export async function measureSourceFile(session: BuildSession, { planned, request, ref }: { planned: PlannedFile; request: MeasureRequest; ref: string }): Promise<BomFile[] | undefined> {
  const { origin } = planned;
  if (origin.copy !== undefined && Object.keys(origin.copy).length > 0) return undefined;
  // ReadDir, not StatFile: StatFile follows a symlink, and the copy copies the link itself
  const slash = origin.path.lastIndexOf("/");
  const [dir, name] = [origin.path.slice(0, slash) || "/", origin.path.slice(slash + 1)];
  const found = (await session.readDir(ref, dir))?.find((e) => e.path === name);
  if (found && (found.mode & GO_MODE.symlink) !== 0) throw new DiagnosticsError([symlinkRefused(planned, found.linkname)]);
  if (!found || (found.mode & GO_MODE.type) !== 0) return undefined;
  const bytes = await session.readFile(ref, origin.path, Number(found.size));
  return [measured(request.destination, bytes, planned.entry.mode?.value ?? unixMode(found.mode), originAt(request, "", new Map()))];
}

/** A context path that is a symbolic link, located at the declared path, with the file to copy instead when it is in the context. */
function symlinkRefused(planned: PlannedFile, target: string): Diagnostic {
  const source = planned.entry.source;
  const path = source.kind === "context" ? source.path : undefined;
  const name = path?.value ?? planned.origin.path;
  // relative to the link's directory; "." or above the context's root names no file in it
  const resolved = target.startsWith("/") ? undefined : posix.join(posix.dirname(name), target);
  const inContext = resolved !== undefined && resolved !== "." && resolved !== ".." && !resolved.startsWith("../");
  return errorAt(
    path?.range ?? planned.entry.destination.range,
    "Symbolic link in the build context",
    `"${name}" is a symbolic link to "${target}". The copy would put the link itself in the image, and the bill of materials states regular files only, so it could not account for it.`,
    { hint: inContext ? `copy the file it points to: path = "${resolved}"` : "copy the file it points to, from inside the build context" },
  );
}

/** One file as the BOM states it: where it is in the image, its digests, size and mode, and its origin. */
function measured(path: string, bytes: Uint8Array, mode: number, origin: BomFile["origin"]): BomFile {
  return {
    path,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    sha1: createHash("sha1").update(bytes).digest("hex"),
    size: bytes.length,
    mode,
    origin,
  };
}

interface Entry {
  readonly path: string;
  readonly mode: number;
  readonly size: number | bigint;
}

/** Every entry under a directory, by image path, in byte order of the names (as the worker walks). */
async function walk(session: BuildSession, ref: string, dir: string): Promise<Entry[]> {
  const entries = ((await session.readDir(ref, dir)) ?? []).slice().sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const out: Entry[] = [];
  for (const e of entries) {
    const path = `${dir.replace(/\/$/, "")}/${e.path}`;
    if ((e.mode & GO_MODE.dir) !== 0) out.push(...(await walk(session, ref, path)));
    else out.push({ path, mode: e.mode, size: e.size });
  }
  return out;
}

/** Go's permission, setuid, setgid and sticky bits as Unix's `mode & 0o7777`. */
export function unixMode(goMode: number): number {
  return (goMode & 0o777) | (goMode & GO_MODE.setuid ? 0o4000 : 0) | (goMode & GO_MODE.setgid ? 0o2000 : 0) | (goMode & GO_MODE.sticky ? 0o1000 : 0);
}
