import { createHash } from "node:crypto";
import type { Declaration, Image } from "../../grammar/index.js";
import { formatPlatform, type Platform } from "../../llb/index.js";
import type { BomInputs } from "../bom/index.js";
import type { BuildEpoch, ResolvedImage, ResolvedStep } from "../compile/index.js";
import type { AptResolution } from "../debian/index.js";
import { SLIPWAY_VERSION } from "../slipway-version.js";

export interface BomFacts {
  readonly declaration: Declaration;
  readonly image: Image;
  readonly target: string | undefined;
  readonly platform: Platform;
  readonly base: ResolvedImage | undefined;
  readonly resolution: AptResolution | undefined;
  readonly steps: ReadonlyMap<string, ResolvedStep>;
  readonly epoch: BuildEpoch;
}

/**
 * Everything the frontend learnt, as the plain facts `buildBom` takes, but for what the BOM worker
 * measures in the built trees: the added files and the base image's OS and packages.
 */
export function bomInputsOf(f: BomFacts): BomInputs {
  const r = f.resolution;
  const keys = new Map<string, { fingerprint: string; userIds: readonly string[]; location: string }>();
  for (const repo of r?.repositories ?? []) {
    if (!keys.has(repo.signedBy.fingerprint)) keys.set(repo.signedBy.fingerprint, { ...repo.signedBy, location: `${repo.uri} ${repo.suite}` });
  }
  const declaresKeys = f.image.apt.some((a) => a.keys.length > 0 || a.repositories.some((rep) => rep.key !== undefined));
  return {
    tool: { name: "slipway", version: SLIPWAY_VERSION },
    image: { name: f.image.name.value, ...(f.target !== undefined && { target: f.target }), platform: formatPlatform(f.platform) },
    declaration: {
      file: f.declaration.file.name,
      sha256: createHash("sha256").update(f.declaration.file.text, "utf8").digest("hex"),
      variables: f.declaration.variables.map((v) => ({ name: v.name, value: v.value, origin: v.origin })),
      packages: f.image.apt.flatMap((a) => a.packages.map((p) => p.name.value)),
    },
    base: f.base
      ? {
          kind: "image",
          canonicalName: f.base.pinned,
        }
      : { kind: "scratch" },
    packages: (r?.packages ?? []).map((p) => ({
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      source: { name: p.source.name, version: p.source.version },
      location: { uri: p.uri, sha256: p.sha256, size: p.size },
      ...(p.source.kind === "archive"
        ? { sourceFiles: p.source.files.map((s) => ({ uri: s.uri, filename: s.name, sha256: s.sha256, size: s.size })) }
        : { vcs: { type: p.source.type, repository: p.source.repository, ref: p.source.ref } }),
    })),
    repositories: (r?.repositories ?? []).map((repo) => ({
      uri: repo.uri,
      suite: repo.suite,
      components: repo.components,
      signedBy: [repo.signedBy.fingerprint],
      inRelease: { uri: repo.inRelease.url, sha256: repo.inRelease.sha256, size: repo.inRelease.size },
    })),
    keys: [...keys.values()].map((k) => ({
      fingerprint: k.fingerprint,
      userIds: k.userIds,
      origin: declaresKeys ? ("declaration" as const) : ("base-image" as const),
      location: k.location,
    })),
    files: [],
    sourceDateEpoch: f.epoch.seconds,
    sourceDateEpochOrigin: f.epoch.origin,
  };
}
