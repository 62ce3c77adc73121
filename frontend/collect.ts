import { createHash } from "node:crypto";
import type { BomFile, BomFileOrigin, BomVcs } from "./bom/index.js";
import type { PlannedFile, ResolvedGit, ResolvedImage } from "./compile/types.js";
import { gitKey } from "./compile/types.js";
import { isDirectory, isRegular } from "./gateway-io.js";
import type { Stat } from "./gateway/client.js";
import type { BuildSession } from "./session.js";

/** What the origins of files need that only the build knows (resolved commits, pinned images, tarball digests). */
export interface OriginFacts {
  readonly git: ReadonlyMap<string, ResolvedGit>;
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** sha256 of each tarball, by its name in the context. */
  readonly tarballs: ReadonlyMap<string, string>;
}

/**
 * Measures every file the declaration added, in the solved image itself: sha256, sha1, size and mode come
 * from the bytes BuildKit produced (a directory or wildcard copy contributes each regular file under it),
 * so the BOM states what is in the image, not what the declaration claims.
 */
export async function measureFiles(session: BuildSession, ref: string, planned: readonly PlannedFile[], facts: OriginFacts): Promise<BomFile[]> {
  // Files are measured concurrently (BuildKit serves up to 250 streams; a cached rebuild waits on these
  // round trips), and the result is sorted by the BOM anyway.
  const perFile = await Promise.all(
    planned.map(async (file) => {
      const dest = file.entry.destination.value;
      const stat = await session.stat(ref, dest);
      if (!stat) throw new Error(`${dest} is not in the built image`);
      const entries = isDirectory(stat.mode) ? await walk(session, ref, dest) : [{ path: dest, stat }];
      return Promise.all(
        entries
          .filter((e) => isRegular(e.stat.mode))
          .map(async (e): Promise<BomFile> => {
            const { sha256, sha1 } = await hashFile(session, ref, e.path, Number(e.stat.size));
            const relative = e.path === dest ? "" : e.path.slice(dest.length).replace(/^\/+/, "");
            return { path: e.path, sha256, sha1, size: Number(e.stat.size), mode: permissions(e.stat.mode), origin: originOf(file, relative, facts) };
          }),
      );
    }),
  );
  return perFile.flat();
}

async function walk(session: BuildSession, ref: string, dir: string): Promise<{ path: string; stat: Stat }[]> {
  const out: { path: string; stat: Stat }[] = [];
  const entries = (await session.readDir(ref, dir)) ?? [];
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const path = `${dir.replace(/\/$/, "")}/${e.path}`;
    if (isDirectory(e.mode)) out.push(...(await walk(session, ref, path)));
    else out.push({ path, stat: e });
  }
  return out;
}

async function hashFile(session: BuildSession, ref: string, path: string, size: number): Promise<{ sha256: string; sha1: string }> {
  const data = await session.readFile(ref, path, size);
  if (data.length !== size) throw new Error(`read ${data.length} of ${size} bytes of ${path}`);
  return { sha256: createHash("sha256").update(data).digest("hex"), sha1: createHash("sha1").update(data).digest("hex") };
}

/** Go's FileMode keeps setuid/setgid/sticky in high bits; the BOM states Unix permission bits. */
function permissions(mode: number): number {
  const m = mode >>> 0;
  let p = m & 0o777;
  if (m & (1 << 23)) p |= 0o4000;
  if (m & (1 << 22)) p |= 0o2000;
  if (m & (1 << 20)) p |= 0o1000;
  return p;
}

function originOf(file: PlannedFile, relative: string, facts: OriginFacts): BomFileOrigin {
  const src = file.entry.source;
  const sub = (source: string) => (relative === "" ? source : joinUnder(sourceDirectoryOf(source), relative));
  const vcs: BomVcs | undefined = file.sourceFile && {
    type: file.sourceFile.vcs.type.value,
    repository: file.sourceFile.vcs.repository.value,
    ref: file.sourceFile.vcs.ref.value,
  };
  switch (src.kind) {
    case "context":
      return { kind: "context", path: sub(src.path.value) };
    case "tarball": {
      const sha = facts.tarballs.get(src.tarball.value);
      if (!sha) throw new Error(`bug: tarball ${src.tarball.value} was not hashed`);
      return { kind: "tarball", tarball: src.tarball.value, tarballSha256: sha, member: sub(src.path.value), ...(vcs && { vcs }) };
    }
    case "http":
      return { kind: "http", url: src.url.value, sha256: src.sha256.value };
    case "git": {
      const g = facts.git.get(gitKey(src.repository.value, src.ref.value));
      if (!g) throw new Error(`bug: git ${src.repository.value} was not resolved`);
      return { kind: "git", repository: g.repository, ref: g.ref, commit: g.commit, path: sub(src.path.value) };
    }
    case "image": {
      const img = facts.images.get(src.image.value.canonical);
      if (!img) throw new Error(`bug: image ${src.image.value.canonical} was not resolved`);
      return { kind: "image", image: img.pinned, path: sub(src.path.value) };
    }
    case "step":
      return { kind: "step", step: src.step.value, path: sub(src.path.value), ...(vcs && { vcs }) };
  }
}

/**
 * The source directory whose contents a copy put under the destination: the source itself for a
 * directory, its parent for a wildcard (`/assets/*` copies the matches of `/assets`).
 */
function sourceDirectoryOf(source: string): string {
  const slash = source.lastIndexOf("/");
  const last = source.slice(slash + 1);
  return /[*?[]/.test(last) ? source.slice(0, Math.max(slash, 0)) : source.replace(/\/+$/, "");
}

function joinUnder(dir: string, relative: string): string {
  return dir === "" ? relative : `${dir}/${relative}`;
}
