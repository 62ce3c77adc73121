import { bomContentId, bomCreated, contentUuid } from "./canonical.js";
import { parseImageRef } from "../oci/index.js";
import type { Bom, BomFile, BomInstalledPackage, BomOsRelease, BomRemoteFile, BomVcs } from "./model.js";
import { describeVcs, formatMode, urlFileName } from "./origins.js";
import { dependencyLookup, imagePackages, isAddedPackage, requestedPackages, sourcePackagesOf, type ImagePackage, type SourcePackage } from "./image-packages.js";
import { baseImagePurl, debPurl, purl } from "./purl.js";
import { distribution, maintainerParty, type Party } from "./supplier.js";

/**
 * bom.cdx.json: a CycloneDX 1.6 JSON BOM with the same facts as the SPDX document.
 *
 * - `metadata.component` is the image (type `container`); components are the base image, the operating
 *   system, every binary package in the image (type `library`, deb purl, the .deb's SHA-256 and
 *   `distribution` URL for packages the build added) with its Debian source package as
 *   `pedigree.ancestors` (`arch=source` purl, `source-distribution` or `vcs` references), and every added
 *   file (type `file`, SHA-1 and SHA-256, `slipway:*` properties for mode, size and origin).
 * - `dependencies`: every component has an entry (an empty `dependsOn` is "depends on nothing", as
 *   CycloneDX wants leaves listed). The image depends on the base image, the OS and the packages the
 *   declaration asked for; the base image on the OS and the packages it brought; a package on what its
 *   Pre-Depends and Depends resolved to in the image.
 * - Packages carry `supplier` (the distribution), `authors` (the Maintainer) and `licenses` (the SPDX
 *   expression its copyright file declares, left out when that is NOASSERTION).
 * - Reproducible on purpose: `serialNumber` is a UUID (version nibble 5) made from the sha256 of bom.json,
 *   not a random one; it still changes whenever any fact does. `metadata.timestamp` is SOURCE_DATE_EPOCH or
 *   the Unix epoch.
 */
export function writeCycloneDx(bom: Bom): string {
  return `${JSON.stringify(cycloneDxDocument(bom), null, 2)}\n`;
}

type Json = Record<string, unknown>;

const IMAGE_REF = "image";
const BASE_REF = "base-image";
const OS_REF = "os";

export function cycloneDxDocument(bom: Bom): Json {
  const os = bom.base.kind === "image" ? bom.base.os : undefined;
  const inImage = imagePackages(bom);
  const sources = new Map(sourcePackagesOf(inImage.map((x) => x.package)).map((s) => [`${s.name}@${s.version}`, s]));
  const components: Json[] = [];
  const imageDependsOn: string[] = [];
  const dependencies: Json[] = [];

  if (bom.base.kind === "image") {
    const base = bom.base;
    const ref = parseImageRef(base.canonicalName);
    const purlText = baseImagePurl(base, bom.image.platform);
    components.push({
      type: "container",
      "bom-ref": BASE_REF,
      name: ref !== undefined ? `${ref.domain}/${ref.path}` : base.canonicalName,
      version: base.canonicalName.split("@")[1]!,
      ...(purlText !== undefined ? { purl: purlText } : {}),
      properties: [property("slipway:image:canonical-name", base.canonicalName)],
    });
    imageDependsOn.push(BASE_REF);
    if (os !== undefined) {
      components.push({
        type: "operating-system",
        "bom-ref": OS_REF,
        ...(distribution(os) !== undefined ? { supplier: entity(distribution(os)!) } : {}),
        name: os.id,
        version: os.versionId || os.versionCodename || "unknown",
        ...(os.versionCodename ? { properties: [property("slipway:os:codename", os.versionCodename)] } : {}),
      });
      imageDependsOn.push(OS_REF);
      dependencies.push({ ref: OS_REF, dependsOn: [] });
    }
    const stillFromBase = inImage.filter((x) => !x.added).map((x) => debRef(os, x));
    dependencies.push({ ref: BASE_REF, dependsOn: [...(os !== undefined ? [OS_REF] : []), ...stillFromBase] });
  }

  for (const x of inImage) components.push(packageComponent(os, x, sources.get(`${x.package.source.name}@${x.package.source.version}`)!));
  const packageGraph = packageDependencies(bom, os, inImage);
  imageDependsOn.push(...packageGraph.direct);
  dependencies.push(...packageGraph.entries);
  for (const f of bom.files) {
    components.push(fileComponent(f));
    dependencies.push({ ref: `file:${f.path}`, dependsOn: [] });
  }

  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${contentUuid(bomContentId(bom))}`,
    version: 1,
    metadata: {
      timestamp: bomCreated(bom),
      lifecycles: [{ phase: "build" }],
      tools: { components: [{ type: "application", name: bom.tool.name, version: bom.tool.version }] },
      component: {
        type: "container",
        "bom-ref": IMAGE_REF,
        name: bom.image.name,
        properties: [
          property("slipway:image:platform", bom.image.platform),
          ...(bom.image.target !== undefined ? [property("slipway:image:target", bom.image.target)] : []),
        ],
      },
      properties: [
        property("slipway:declaration:file", bom.declaration.file),
        property("slipway:declaration:sha256", bom.declaration.sha256),
        ...bom.declaration.variables.map((v) => property(`slipway:variable:${v.name}`, `${v.value} (${v.origin})`)),
        ...bom.repositories.map((r) =>
          property("slipway:apt:repository", `${r.types.join(",")} ${r.uri} ${r.suite} ${r.components.join(" ")}${r.signedBy.length > 0 ? ` signed-by=${r.signedBy.join(",")}` : ""}${r.inRelease !== undefined ? ` in-release=${r.inRelease.uri}@sha256:${r.inRelease.sha256}` : ""}`),
        ),
        ...bom.keys.map((k) => property("slipway:apt:key", `${k.fingerprint} ${k.origin} ${k.location}${k.userIds.length > 0 ? ` ${k.userIds.join("; ")}` : ""}`)),
      ],
    },
    components,
    dependencies: [{ ref: IMAGE_REF, dependsOn: imageDependsOn }, ...dependencies],
  };
}

/**
 * Each package's entry (what its dependencies resolved to, by purl) and what the image depends on
 * directly: the declared packages, or for a BOM from before they were recorded, each of its packages.
 */
function packageDependencies(bom: Bom, os: BomOsRelease | undefined, inImage: readonly ImagePackage[]): { direct: string[]; entries: Json[] } {
  const dependsOn = dependencyLookup(bom);
  const refs = new Map(inImage.map((x) => [x.package, debRef(os, x)]));
  const refOf = (p: BomInstalledPackage) => refs.get(p) ?? packageRef(os, p);
  const direct = bom.declaration.packages !== undefined ? requestedPackages(bom) : inImage.map((x) => x.package);
  return {
    direct: direct.map(refOf),
    entries: inImage.map((x) => ({ ref: refs.get(x.package)!, dependsOn: [...new Set(dependsOn(x.package).map(refOf))] })),
  };
}

function debRef(os: BomOsRelease | undefined, x: ImagePackage): string {
  return packageRef(os, x.package);
}

function packageRef(os: BomOsRelease | undefined, p: BomInstalledPackage): string {
  return debPurl(os, p.name, p.version, p.architecture, p.source);
}

/** CycloneDX's organizationalEntity / organizationalContact. */
function entity(p: Party): Json {
  return { name: p.name, ...(p.email !== undefined ? { contact: [{ email: p.email }] } : {}) };
}

function packageComponent(os: BomOsRelease | undefined, x: ImagePackage, source: SourcePackage): Json {
  const p = x.package;
  const ref = debRef(os, x);
  const added = isAddedPackage(p) ? p : undefined;
  const supplier = distribution(os);
  const maintainer = maintainerParty(p.maintainer);
  return {
    type: "library",
    "bom-ref": ref,
    ...(supplier !== undefined ? { supplier: entity(supplier) } : {}),
    ...(maintainer !== undefined ? { authors: [{ name: maintainer.name, ...(maintainer.email !== undefined ? { email: maintainer.email } : {}) }] } : {}),
    name: p.name,
    version: p.version,
    ...(added !== undefined ? { hashes: [sha256Hash(added.location.sha256)] } : {}),
    ...(p.licence !== undefined && p.licence.declared !== "NOASSERTION" ? { licenses: [{ expression: p.licence.declared }] } : {}),
    purl: ref,
    ...(added !== undefined ? { externalReferences: [remoteReference("distribution", added.location)] } : {}),
    pedigree: {
      ancestors: [
        {
          type: "library",
          name: source.name,
          version: source.version,
          purl: debPurl(os, source.name, source.version, "source"),
          ...(supplier !== undefined ? { supplier: entity(supplier) } : {}),
          ...(source.files.length + source.vcs.length > 0
            ? { externalReferences: [...source.files.map((f) => remoteReference("source-distribution", f)), ...source.vcs.map(vcsReference)] }
            : {}),
        },
      ],
    },
    properties: [
      property("slipway:deb:architecture", p.architecture),
      property("slipway:package:origin", x.added ? "installed-by-build" : "base-image"),
      ...(added !== undefined ? [property("slipway:deb:size", String(added.location.size))] : []),
    ],
  };
}

function fileComponent(f: BomFile): Json {
  const o = f.origin;
  const origin: [string, string][] = [["slipway:origin:kind", o.kind]];
  const references: Json[] = [];
  let purlText: string | undefined;
  const vcs = (v: BomVcs | undefined) => {
    if (v === undefined) return;
    origin.push(["slipway:origin:vcs", describeVcs(v)]);
    references.push(vcsReference(v));
  };
  switch (o.kind) {
    case "context":
      origin.push(["slipway:origin:path", o.path]);
      break;
    case "tarball":
      origin.push(["slipway:origin:tarball", o.tarball], ["slipway:origin:tarball-sha256", o.tarballSha256], ["slipway:origin:member", o.member]);
      vcs(o.vcs);
      break;
    case "http":
      origin.push(["slipway:origin:url", o.url], ["slipway:origin:sha256", o.sha256]);
      references.push({ type: "distribution", url: o.url, hashes: [sha256Hash(o.sha256)] });
      purlText = purl({ type: "generic", name: urlFileName(o.url), qualifiers: { checksum: `sha256:${o.sha256}`, download_url: o.url } });
      break;
    case "git":
      origin.push(["slipway:origin:repository", o.repository], ["slipway:origin:ref", o.ref], ["slipway:origin:commit", o.commit], ["slipway:origin:path", o.path]);
      references.push(vcsReference({ type: "git", repository: o.repository, ref: o.ref, commit: o.commit }));
      purlText = purl({ type: "generic", name: urlFileName(o.repository), version: o.commit, qualifiers: { vcs_url: `git+${o.repository}@${o.commit}` } });
      break;
    case "image":
      origin.push(["slipway:origin:image", o.image], ["slipway:origin:path", o.path]);
      break;
    case "step":
      origin.push(["slipway:origin:step", o.step], ["slipway:origin:path", o.path]);
      vcs(o.vcs);
      break;
  }
  return {
    type: "file",
    "bom-ref": `file:${f.path}`,
    name: f.path,
    hashes: [{ alg: "SHA-1", content: f.sha1 }, sha256Hash(f.sha256)],
    ...(purlText !== undefined ? { purl: purlText } : {}),
    ...(references.length > 0 ? { externalReferences: references } : {}),
    properties: [property("slipway:file:mode", formatMode(f.mode)), property("slipway:file:size", String(f.size)), ...origin.map(([n, v]) => property(n, v))],
  };
}

function remoteReference(type: "distribution" | "source-distribution", f: BomRemoteFile): Json {
  return { type, url: f.uri, hashes: [sha256Hash(f.sha256)] };
}

function vcsReference(v: BomVcs): Json {
  return { type: "vcs", url: v.repository, comment: `${v.type} ref ${v.ref}${v.commit !== undefined ? ` commit ${v.commit}` : ""}` };
}

function sha256Hash(hex: string): Json {
  return { alg: "SHA-256", content: hex };
}

function property(name: string, value: string): Json {
  return { name, value };
}
