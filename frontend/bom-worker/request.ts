import type { BomFileOrigin, BomInputs } from "../bom/index.js";
import type { PlannedFile, ResolvedGit, ResolvedImage } from "../compile/types.js";
import { gitKey } from "../compile/types.js";

/**
 * What the BOM worker is asked to do: everything the frontend knows (the declaration, the resolved
 * packages, where each file came from), and what the worker must measure itself in the mounted trees
 * (the files the frontend cannot read cheaply, the base image's OS and packages, the installed set,
 * tarball digests). Plain JSON: it is written into the build graph, so the exec that runs the worker is
 * cached by exactly these facts. The worker answers with the measured `BomInputs` (`FACTS_FILE`); the
 * frontend adds the files it measured itself and writes the documents.
 */
export interface BomRequest {
  readonly version: 2;
  /** Every fact but the measured ones: `files` and the base image's `os` and `packages` are filled in. */
  readonly inputs: BomInputs;
  /** Files the worker measures, the i-th in its own mount (`WORKER_LAYOUT.files`/i). */
  readonly files: readonly MeasureRequest[];
  /** Tarballs (paths in the build context) whose sha256 the tarball origins state. */
  readonly tarballs: readonly string[];
  /** The packages dpkg must have installed (name, architecture, version); absent: no packages added. */
  readonly expectInstalled?: readonly ExpectedPackage[];
  /**
   * The packages the declaration asks for (`name` or `name:arch`, and the pinned version): each must be
   * installed afterwards, whether the resolution installed it or the base image already had it. A lock
   * that left a requested package out (claiming the base has it) is caught here, where the image is.
   */
  readonly expectRequested?: readonly RequestedPackage[];
  /** The accounts the declaration added (names); present: the worker lists the image's accounts. */
  readonly accounts?: { readonly users: readonly string[]; readonly groups: readonly string[] };
}

export interface ExpectedPackage {
  readonly name: string;
  readonly architecture: string;
  readonly version: string;
}

export interface RequestedPackage {
  readonly name: string;
  readonly version?: string;
}

/** One declared file: measured at `destination` (each regular file under it, for a directory). */
export interface MeasureRequest {
  readonly destination: string;
  /** The origin of the destination itself; a file under a directory gets `under` joined with its relative path. */
  readonly origin: PlannedOrigin;
  /** The source directory a directory copy came from (`path`, or `member` for tarballs). */
  readonly under: string;
}

type TarballOrigin = Extract<BomFileOrigin, { kind: "tarball" }>;
/** A tarball origin before the worker has hashed the tarball. */
export type PlannedOrigin = Exclude<BomFileOrigin, TarballOrigin> | Omit<TarballOrigin, "tarballSha256">;

/** What the origins of files need that only the build knows (resolved commits, pinned images). */
export interface OriginFacts {
  readonly git: ReadonlyMap<string, ResolvedGit>;
  readonly images: ReadonlyMap<string, ResolvedImage>;
}

/** The measurement request for each file the compiler planned. */
export function measureRequests(planned: readonly PlannedFile[], facts: OriginFacts): MeasureRequest[] {
  return planned.map((file) => {
    const src = file.entry.source;
    const source = "path" in src ? src.path.value : "";
    return { destination: file.entry.destination.value, origin: plannedOrigin(file, facts), under: sourceDirectoryOf(source) };
  });
}

/** The tarballs the planned files take members from, sorted. */
export function plannedTarballs(planned: readonly PlannedFile[]): string[] {
  return [...new Set(planned.flatMap((f) => (f.entry.source.kind === "tarball" ? [f.entry.source.tarball.value] : [])))].sort();
}

/** The origin of a file found `relative` under the destination ("" for the destination itself). */
export function originAt(request: MeasureRequest, relative: string, tarballs: ReadonlyMap<string, string>): BomFileOrigin {
  const o = request.origin;
  const sub = (path: string) => (relative === "" ? path : joinUnder(request.under, relative));
  switch (o.kind) {
    case "tarball": {
      const sha = tarballs.get(o.tarball);
      if (!sha) throw new Error(`bug: tarball ${o.tarball} was not hashed`);
      return { ...o, tarballSha256: sha, member: sub(o.member) };
    }
    case "http":
      return o;
    default:
      return { ...o, path: sub(o.path) };
  }
}

function plannedOrigin(file: PlannedFile, facts: OriginFacts): PlannedOrigin {
  const src = file.entry.source;
  const vcs = file.sourceFile && {
    type: file.sourceFile.vcs.type.value,
    repository: file.sourceFile.vcs.repository.value,
    ref: file.sourceFile.vcs.ref.value,
  };
  switch (src.kind) {
    case "context":
      return { kind: "context", path: src.path.value };
    case "tarball":
      return { kind: "tarball", tarball: src.tarball.value, member: src.path.value, ...(vcs && { vcs }) };
    case "http":
      return { kind: "http", url: src.url.value, sha256: src.sha256.value };
    case "git": {
      const g = facts.git.get(gitKey(src.repository.value, src.ref.value));
      if (!g) throw new Error(`bug: git ${src.repository.value} was not resolved`);
      return { kind: "git", repository: g.repository, ref: g.ref, commit: g.commit, path: src.path.value };
    }
    case "image": {
      const img = facts.images.get(src.image.value.canonical);
      if (!img) throw new Error(`bug: image ${src.image.value.canonical} was not resolved`);
      return { kind: "image", image: img.pinned, path: src.path.value };
    }
    case "step":
      return { kind: "step", step: src.step.value, path: src.path.value, ...(vcs && { vcs }) };
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
