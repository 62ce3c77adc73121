import { formatMode } from "./origins.js";
import { blockYaml } from "./yaml-block.js";
import type { Bom, BomAddedPackage, BomFile, BomFileOrigin, BomInstalledPackage, BomRemoteFile, BomVcs } from "./model.js";

/**
 * bom.yaml: estaleiro's final BOM format (cirocosta/estaleiro `bom/bom.go`), field names and nesting kept,
 * so tools written for estaleiro keep reading it. Differences, all additive:
 *
 * - Digests say what they are: `sha256:<hex>` where estaleiro wrote `md5:` (even over sha256 values).
 * - After estaleiro's own fields, each node carries the facts estaleiro dropped, which also makes the
 *   document lossless (`readEstaleiroYaml` rebuilds the exact `Bom`):
 *   - `ExternalResource`: `size`.
 *   - git `Source`: `commit` (the resolved commit). A vcs whose type is not `git` is written as
 *     `vcs: {type, repository_uri, ref, commit}` beside estaleiro's one-of.
 *   - `File`: `sha1`, `size`, `mode` (octal string) and `origin` (kind plus the kind's fields:
 *     context `path`; tarball `tarball`, `tarball_digest`, `member`, `vcs`; http `url`, `digest`;
 *     git `repository`, `ref`, `commit`, `path`; image `image`, `path`; step `step`, `path`, `vcs`).
 *   - Top level: `image` {name, target, platform}, `declaration` {file, digest, variables},
 *     `repositories` (with the `in_release` file read), `keys`, `source_date_epoch`, `tool`, `schema`.
 * - `source_package` keeps estaleiro's meaning (dpkg's raw `Source:`): `""` when the source has the
 *   binary's name and version, `name` when only the name differs, `name (version)` otherwise.
 * - `File.source` is estaleiro's one-of: `git` for vcs-declared, tarball and step files and git files,
 *   `external_resource` for http files, `{}` for context and image files (their origin says the rest).
 */
export function writeEstaleiroYaml(bom: Bom): string {
  return blockYaml(estaleiroTree(bom), { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/** The YAML document as plain data, in output key order. */
export function estaleiroTree(bom: Bom): Record<string, unknown> {
  const base = bom.base;
  const os = base.kind === "image" ? base.os : undefined;
  return {
    base_image: {
      canonical_name: base.kind === "image" ? base.canonicalName : "scratch",
      os: os?.id ?? "",
      version: os?.versionId ?? "",
      codename: os?.versionCodename ?? "",
      packages: base.kind === "image" ? base.packages.map(installedPackage) : [],
    },
    changeset: {
      files: bom.files.map(file),
      packages: bom.packages.map(addedPackage),
    },
    image: { name: bom.image.name, ...(bom.image.target !== undefined ? { target: bom.image.target } : {}), platform: bom.image.platform },
    declaration: {
      file: bom.declaration.file,
      digest: `sha256:${bom.declaration.sha256}`,
      variables: bom.declaration.variables.map((x) => ({ name: x.name, value: x.value, origin: x.origin })),
    },
    repositories: bom.repositories.map((r) => ({
      uri: r.uri,
      suite: r.suite,
      components: [...r.components],
      types: [...r.types],
      signed_by: [...r.signedBy],
      ...(r.inRelease !== undefined ? { in_release: { uri: r.inRelease.uri, digest: `sha256:${r.inRelease.sha256}`, size: r.inRelease.size } } : {}),
    })),
    keys: bom.keys.map((k) => ({ fingerprint: k.fingerprint, user_ids: [...k.userIds], origin: k.origin, location: k.location })),
    ...(bom.sourceDateEpoch !== undefined ? { source_date_epoch: bom.sourceDateEpoch } : {}),
    ...(bom.sourceDateEpochOrigin !== undefined ? { source_date_epoch_origin: bom.sourceDateEpochOrigin } : {}),
    ...(bom.accounts !== undefined ? { accounts: { users: bom.accounts.users.map((u) => ({ ...u })), groups: bom.accounts.groups.map((g) => ({ ...g })) } } : {}),
    tool: { name: bom.tool.name, version: bom.tool.version },
    schema: bom.schema,
  };
}

/** dpkg's `Source:` field for a binary: empty when it would repeat the binary's name and version. */
export function dpkgSourceField(p: BomInstalledPackage): string {
  if (p.source.version !== p.version) return `${p.source.name} (${p.source.version})`;
  return p.source.name === p.name ? "" : p.source.name;
}

function installedPackage(p: BomInstalledPackage): Record<string, unknown> {
  return { name: p.name, version: p.version, source_package: dpkgSourceField(p), architecture: p.architecture };
}

function addedPackage(p: BomAddedPackage): Record<string, unknown> {
  return {
    ...installedPackage(p),
    location: externalResource(p.location),
    sources: [
      ...p.sourceFiles.map((f) => ({ external_resource: externalResource(f) })),
      ...(p.vcs !== undefined ? [vcsSource(p.vcs)] : []),
    ],
  };
}

function externalResource(f: BomRemoteFile): Record<string, unknown> {
  return { uri: f.uri, digest: `sha256:${f.sha256}`, name: f.filename, size: f.size };
}

function vcsSource(v: BomVcs): Record<string, unknown> {
  const fields = { repository_uri: v.repository, ref: v.ref, ...(v.commit !== undefined ? { commit: v.commit } : {}) };
  return v.type === "git" ? { git: fields } : { vcs: { type: v.type, ...fields } };
}

function file(f: BomFile): Record<string, unknown> {
  return {
    path: f.path,
    digest: `sha256:${f.sha256}`,
    source: fileSource(f.origin),
    sha1: `sha1:${f.sha1}`,
    size: f.size,
    mode: formatMode(f.mode),
    origin: origin(f.origin),
  };
}

function fileSource(o: BomFileOrigin): Record<string, unknown> {
  switch (o.kind) {
    case "tarball":
    case "step":
      return o.vcs !== undefined ? vcsSource(o.vcs) : {};
    case "git":
      return vcsSource({ type: "git", repository: o.repository, ref: o.ref, commit: o.commit });
    case "http":
      return { external_resource: { uri: o.url, digest: `sha256:${o.sha256}`, name: o.url.replace(/[?#].*$/, "").split("/").pop() ?? "" } };
    case "context":
    case "image":
      return {};
  }
}

function origin(o: BomFileOrigin): Record<string, unknown> {
  const vcs = (v: BomVcs | undefined) =>
    v !== undefined ? { vcs: { type: v.type, repository: v.repository, ref: v.ref, ...(v.commit !== undefined ? { commit: v.commit } : {}) } } : {};
  switch (o.kind) {
    case "context":
      return { kind: o.kind, path: o.path };
    case "tarball":
      return { kind: o.kind, tarball: o.tarball, tarball_digest: `sha256:${o.tarballSha256}`, member: o.member, ...vcs(o.vcs) };
    case "http":
      return { kind: o.kind, url: o.url, digest: `sha256:${o.sha256}` };
    case "git":
      return { kind: o.kind, repository: o.repository, ref: o.ref, commit: o.commit, path: o.path };
    case "image":
      return { kind: o.kind, image: o.image, path: o.path };
    case "step":
      return { kind: o.kind, step: o.step, path: o.path, ...vcs(o.vcs) };
  }
}
