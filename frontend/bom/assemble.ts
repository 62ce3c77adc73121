import { formatImageRef, parseImageRef } from "../oci/index.js";
import type {
  BomAddedPackageInput,
  BomFileInput,
  BomInputs,
  BomInstalledPackageInput,
  BomRemoteFileInput,
  BomRepositoryInput,
  BomSigningKeyInput,
} from "./inputs.js";
import {
  BOM_EPOCH_ORIGINS,
  type BomAccounts,
  BOM_SCHEMA,
  type Bom,
  type BomAddedPackage,
  type BomBaseImage,
  type BomFile,
  type BomFileOrigin,
  type BomInstalledPackage,
  type BomRemoteFile,
  type BomRepository,
  type BomSigningKey,
  type BomSourceRef,
  type BomVariable,
  type BomVcs,
} from "./model.js";
import { compareBy, compareStrings } from "./order.js";
import { packageFacts, extractedLicences } from "./build-facts.js";
import { show, Validator } from "./validator.js";

/**
 * Normalises, validates and sorts the facts into a `Bom`. Every problem is collected and reported at once
 * in one `BomInputError` (in a build that is a slipway bug; when reading a document, a damaged document).
 *
 * @example
 * const bom = buildBom({ tool, image: { name: "app", platform: "linux/amd64" },
 *   declaration: { file: "slipway.hcl", sha256 }, base: { kind: "scratch" }, files });
 */
export function buildBom(inputs: BomInputs): Bom {
  const v = new Validator();
  const tool = { name: v.text("tool.name", inputs.tool?.name), version: v.text("tool.version", inputs.tool?.version) };
  const image = {
    name: v.text("image.name", inputs.image?.name),
    ...(inputs.image?.target !== undefined ? { target: v.text("image.target", inputs.image.target) } : {}),
    platform: v.match("image.platform", inputs.image?.platform, PLATFORM, "os/arch[/variant], e.g. linux/amd64"),
  };
  const variables = (inputs.declaration?.variables ?? []).map((x, i): BomVariable => {
    const at = `declaration.variables[${i}]`;
    return {
      name: v.text(`${at}.name`, x.name),
      value: v.string(`${at}.value`, x.value),
      origin: v.oneOf(`${at}.origin`, x.origin, ["build-arg", "default"] as const),
    };
  });
  const declaration = {
    file: v.text("declaration.file", inputs.declaration?.file),
    sha256: v.sha256("declaration.sha256", inputs.declaration?.sha256),
    variables: v.unique("declaration.variables", variables.sort(compareBy((x) => [x.name])), (x) => x.name),
    ...(inputs.declaration?.packages !== undefined
      ? { packages: [...new Set(inputs.declaration.packages.map((p, i) => v.text(`declaration.packages[${i}]`, p)))].sort(compareStrings) }
      : {}),
  };
  const bom: Bom = {
    schema: BOM_SCHEMA,
    tool,
    image,
    declaration,
    base: buildBase(v, inputs.base),
    packages: v.unique(
      "packages",
      (inputs.packages ?? []).map((p, i) => addedPackage(v, `packages[${i}]`, p)).sort(comparePackages),
      packageKey,
    ),
    repositories: v.unique(
      "repositories",
      (inputs.repositories ?? []).map((r, i) => repository(v, `repositories[${i}]`, r)).sort(compareBy((r) => [r.uri, r.suite])),
      (r) => `${r.uri} ${r.suite}`,
    ),
    keys: v.unique(
      "keys",
      (inputs.keys ?? []).map((k, i) => signingKey(v, `keys[${i}]`, k)).sort(compareBy((k) => [k.fingerprint])),
      (k) => k.fingerprint,
    ),
    files: v.unique(
      "files",
      (inputs.files ?? []).map((f, i) => file(v, `files[${i}]`, f)).sort(compareBy((f) => [f.path])),
      (f) => f.path,
    ),
    ...(inputs.sourceDateEpoch !== undefined
      ? { sourceDateEpoch: v.integer("sourceDateEpoch", inputs.sourceDateEpoch, 0, 253402300799) }
      : {}),
    ...(inputs.sourceDateEpochOrigin !== undefined
      ? { sourceDateEpochOrigin: v.oneOf("sourceDateEpochOrigin", inputs.sourceDateEpochOrigin, BOM_EPOCH_ORIGINS) }
      : {}),
    ...(inputs.accounts !== undefined ? { accounts: accounts(v, inputs.accounts) } : {}),
  };
  const licences = extractedLicences(v, inputs.licences, [...bom.packages, ...(bom.base.kind === "image" ? bom.base.packages : [])]);
  v.throwIfAny();
  return licences !== undefined ? { ...bom, licences } : bom;
}

/** The accounts, checked and sorted: users by uid then name, groups by gid then name. */
function accounts(v: Validator, a: BomAccounts): BomAccounts {
  const id = (at: string, x: unknown) => v.integer(at, x, 0, 4294967295);
  const users = (a.users ?? []).map((u, i) => {
    const at = `accounts.users[${i}]`;
    return { name: v.text(`${at}.name`, u.name), uid: id(`${at}.uid`, u.uid), gid: id(`${at}.gid`, u.gid), home: v.string(`${at}.home`, u.home), shell: v.string(`${at}.shell`, u.shell), added: u.added === true };
  });
  const groups = (a.groups ?? []).map((g, i) => ({ name: v.text(`accounts.groups[${i}].name`, g.name), gid: id(`accounts.groups[${i}].gid`, g.gid), added: g.added === true }));
  return {
    users: v.unique("accounts.users", users.sort(compareBy((u) => [u.uid.toString().padStart(10, "0"), u.name])), (u) => u.name),
    groups: v.unique("accounts.groups", groups.sort(compareBy((g) => [g.gid.toString().padStart(10, "0"), g.name])), (g) => g.name),
  };
}

/** `name (version)` or `name`, as dpkg writes its `Source:` field. */
export function parseDpkgSource(field: string, binary: { name: string; version: string }): BomSourceRef | undefined {
  const m = /^\s*([a-z0-9][a-z0-9+.-]*)\s*(?:\(\s*([^()\s]+)\s*\))?\s*$/.exec(field);
  if (!m) return undefined;
  return { name: m[1]!, version: m[2] ?? binary.version };
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9.]+)?$/;

function buildBase(v: Validator, base: BomInputs["base"]): BomBaseImage {
  if (base?.kind === "scratch") return { kind: "scratch" };
  if (base?.kind !== "image") {
    v.problem("base.kind", `must be "scratch" or "image", got ${show((base as { kind?: unknown } | undefined)?.kind)}`);
    return { kind: "scratch" };
  }
  const ref = parseImageRef(v.string("base.canonicalName", base.canonicalName));
  if (ref?.digest === undefined) v.problem("base.canonicalName", `must be a reference pinned by digest (name[:tag]@sha256:…), got ${show(base.canonicalName)}`);
  return {
    kind: "image",
    canonicalName: ref ? formatImageRef(ref) : String(base.canonicalName),
    ...(base.os !== undefined
      ? {
          os: {
            id: v.text("base.os.id", base.os.id),
            versionId: v.string("base.os.versionId", base.os.versionId ?? ""),
            versionCodename: v.string("base.os.versionCodename", base.os.versionCodename ?? ""),
          },
        }
      : {}),
    packages: v.unique(
      "base.packages",
      (base.packages ?? [])
        .flatMap((p, i) => (p.status === undefined || isInstalled(p.status) ? [installedPackage(v, `base.packages[${i}]`, p)] : []))
        .sort(comparePackages),
      packageKey,
    ),
  };
}

/** dpkg `Status: want flag status`; only the third word says what is on disk. */
function isInstalled(status: string): boolean {
  return status.trim().split(/\s+/)[2] === "installed";
}

function installedPackage(v: Validator, at: string, p: BomInstalledPackageInput): BomInstalledPackage {
  const name = v.text(`${at}.name`, p.name);
  const version = v.text(`${at}.version`, p.version);
  return {
    name,
    version,
    architecture: v.text(`${at}.architecture`, p.architecture),
    source: sourceRef(v, `${at}.source`, p.source, name, version),
    ...packageFacts(v, at, p),
  };
}

function sourceRef(v: Validator, at: string, source: BomInstalledPackageInput["source"], name: string, version: string): BomSourceRef {
  if (source === undefined) return { name, version };
  if (typeof source === "string") {
    const parsed = parseDpkgSource(source, { name, version });
    if (parsed === undefined) v.problem(at, `is not a dpkg Source field ("name" or "name (version)"): ${show(source)}`);
    return parsed ?? { name, version };
  }
  return { name: v.text(`${at}.name`, source.name), version: v.text(`${at}.version`, source.version ?? version) };
}

function addedPackage(v: Validator, at: string, p: BomAddedPackageInput): BomAddedPackage {
  return {
    ...installedPackage(v, at, p),
    location: remoteFile(v, `${at}.location`, p.location),
    sourceFiles: v.unique(
      `${at}.sourceFiles`,
      (p.sourceFiles ?? []).map((f, i) => remoteFile(v, `${at}.sourceFiles[${i}]`, f)).sort(compareBy((f) => [f.filename, f.uri])),
      (f) => f.uri,
    ),
    ...(p.vcs !== undefined ? { vcs: vcs(v, `${at}.vcs`, p.vcs) } : {}),
  };
}

function remoteFile(v: Validator, at: string, f: BomRemoteFileInput | undefined): BomRemoteFile {
  const uri = v.text(`${at}.uri`, f?.uri);
  const filename = f?.filename ?? decodeURIComponentSafe(uri.replace(/[?#].*$/, "").split("/").pop() ?? "");
  return {
    uri,
    filename: v.text(`${at}.filename`, filename),
    sha256: v.sha256(`${at}.sha256`, f?.sha256),
    size: v.integer(`${at}.size`, f?.size, 0, Number.MAX_SAFE_INTEGER),
  };
}

function vcs(v: Validator, at: string, x: BomVcs): BomVcs {
  return {
    type: v.text(`${at}.type`, x.type),
    repository: v.text(`${at}.repository`, x.repository),
    ref: v.text(`${at}.ref`, x.ref),
    ...(x.commit !== undefined ? { commit: v.text(`${at}.commit`, x.commit) } : {}),
  };
}

function repository(v: Validator, at: string, r: BomRepositoryInput): BomRepository {
  const types = [...new Set(r.types ?? ["deb"])].map((t, i) => v.oneOf(`${at}.types[${i}]`, t, ["deb", "deb-src"] as const));
  return {
    uri: v.text(`${at}.uri`, r.uri),
    suite: v.text(`${at}.suite`, r.suite),
    components: [...new Set(r.components ?? [])].map((c, i) => v.text(`${at}.components[${i}]`, c)).sort(compareStrings),
    types: types.sort(compareStrings),
    signedBy: [...new Set((r.signedBy ?? []).map((f, i) => v.fingerprint(`${at}.signedBy[${i}]`, f)))].sort(compareStrings),
    ...(r.inRelease !== undefined
      ? {
          inRelease: {
            uri: v.text(`${at}.inRelease.uri`, r.inRelease.uri),
            sha256: v.sha256(`${at}.inRelease.sha256`, r.inRelease.sha256),
            size: v.integer(`${at}.inRelease.size`, r.inRelease.size, 0, Number.MAX_SAFE_INTEGER),
          },
        }
      : {}),
  };
}

function signingKey(v: Validator, at: string, k: BomSigningKeyInput): BomSigningKey {
  return {
    fingerprint: v.fingerprint(`${at}.fingerprint`, k.fingerprint),
    userIds: [...new Set(k.userIds ?? [])].map((u, i) => v.string(`${at}.userIds[${i}]`, u)).sort(compareStrings),
    origin: v.oneOf(`${at}.origin`, k.origin, ["base-image", "declaration"] as const),
    location: v.text(`${at}.location`, k.location),
  };
}

function file(v: Validator, at: string, f: BomFileInput): BomFile {
  return {
    path: v.absolutePath(`${at}.path`, f.path),
    sha256: v.sha256(`${at}.sha256`, f.sha256),
    sha1: v.sha1(`${at}.sha1`, f.sha1),
    size: v.integer(`${at}.size`, f.size, 0, Number.MAX_SAFE_INTEGER),
    mode: v.integer(`${at}.mode`, f.mode, 0, 0o7777),
    origin: origin(v, `${at}.origin`, f.origin),
  };
}

function origin(v: Validator, at: string, o: BomFileOrigin): BomFileOrigin {
  const withVcs = (x: BomVcs | undefined) => (x !== undefined ? { vcs: vcs(v, `${at}.vcs`, x) } : {});
  switch (o?.kind) {
    case "context":
      return { kind: "context", path: v.text(`${at}.path`, o.path) };
    case "tarball":
      return {
        kind: "tarball",
        tarball: v.text(`${at}.tarball`, o.tarball),
        tarballSha256: v.sha256(`${at}.tarballSha256`, o.tarballSha256),
        member: v.text(`${at}.member`, o.member),
        ...withVcs(o.vcs),
      };
    case "http":
      return { kind: "http", url: v.text(`${at}.url`, o.url), sha256: v.sha256(`${at}.sha256`, o.sha256) };
    case "git":
      return {
        kind: "git",
        repository: v.text(`${at}.repository`, o.repository),
        ref: v.text(`${at}.ref`, o.ref),
        commit: v.text(`${at}.commit`, o.commit),
        path: v.text(`${at}.path`, o.path),
      };
    case "image": {
      const ref = parseImageRef(v.string(`${at}.image`, o.image));
      if (ref?.digest === undefined) v.problem(`${at}.image`, `must be a reference pinned by digest, got ${show(o.image)}`);
      return { kind: "image", image: ref ? formatImageRef(ref) : String(o.image), path: v.absolutePath(`${at}.path`, o.path) };
    }
    case "step":
      return { kind: "step", step: v.text(`${at}.step`, o.step), path: v.text(`${at}.path`, o.path), ...withVcs(o.vcs) };
    default:
      v.problem(`${at}.kind`, `must be one of context, tarball, http, git, image, step; got ${show((o as { kind?: unknown })?.kind)}`);
      return o;
  }
}

function comparePackages(a: BomInstalledPackage, b: BomInstalledPackage): number {
  return compareStrings(a.name, b.name) || compareStrings(a.architecture, b.architecture) || compareStrings(a.version, b.version);
}

function packageKey(p: BomInstalledPackage): string {
  return `${p.name}:${p.architecture}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
