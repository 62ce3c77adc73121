import { bomContentId, bomCreated, sha1Hex } from "./canonical.js";
import type { Bom, BomFile, BomInstalledPackage, BomOsRelease, BomVcs } from "./model.js";
import { parseImageRef } from "../oci/index.js";
import { compareBy } from "./order.js";
import { describeOrigin, describeVcs, formatMode, urlFileName, vcsDownloadLocation } from "./origins.js";
import { dependencyLookup, imagePackages, isAddedPackage, requestedPackages, sourcePackagesOf, type SourcePackage } from "./image-packages.js";
import { baseImagePurl, debPurl, ociPurl } from "./purl.js";
import { SpdxIds } from "./spdx-id.js";
import { distribution, maintainerParty, spdxParty } from "./supplier.js";

/**
 * bom.spdx.json: an SPDX 2.3 JSON document.
 *
 * - The document DESCRIBES one CONTAINER package, the image, which CONTAINS every binary package in it,
 *   the operating system and every file the declaration added, and is a DESCENDANT_OF the base image.
 * - Binary packages are GENERATED_FROM their Debian source package (`arch=source` purl); the base image
 *   CONTAINS the packages it came with (including any the build then upgraded).
 * - Files carry SHA1 (SPDX 2.x requires it) and SHA256, and relate to where they came from: EXPANDED_FROM_ARCHIVE
 *   a tarball package, GENERATED_FROM a download, a VCS source or an image.
 * - The image package lists files, so it is `filesAnalyzed: true` with a verification code over them.
 * - Every binary package DEPENDS_ON what its Pre-Depends and Depends resolved to in the image, and the
 *   image DEPENDS_ON the packages the declaration asked for. Debian packages are supplied by the
 *   distribution (`Organization: Debian`) and originate from their Maintainer; licenseDeclared is what
 *   the package's copyright file declares, with LicenseRef texts in hasExtractedLicensingInfos.
 *   licenseConcluded stays NOASSERTION: slipway reads declarations, it does not conclude.
 * - No CPEs: a CPE's vendor and product are NVD's names (curl is `haxx:curl`, libcurl4 is not a product),
 *   which no fact in the image states; a guessed CPE makes scanners match the wrong advisories. The purl
 *   (with `upstream=` for the source package) is what Debian-aware scanners match on.
 * - Nothing is random or timed: `documentNamespace` is `https://slipway.dev/spdx/<name>-<sha256 of bom.json>`
 *   and `created` is SOURCE_DATE_EPOCH, or 1970-01-01T00:00:00Z without one.
 */
export function writeSpdx(bom: Bom): string {
  return `${JSON.stringify(spdxDocument(bom), null, 2)}\n`;
}

const NOASSERTION = "NOASSERTION";
const IMAGE = "SPDXRef-Image";
const BASE_IMAGE = "SPDXRef-BaseImage";
const OS = "SPDXRef-OperatingSystem";

type Json = Record<string, unknown>;

// long because: builds the document section by section in SPDX 2.3's order (image, base, OS, packages, files, relationships), all sharing one id allocator.
export function spdxDocument(bom: Bom): Json {
  const ids = new SpdxIds();
  const packages: Json[] = [];
  const files: Json[] = [];
  const relationships: [string, string, string][] = [["SPDXRef-DOCUMENT", "DESCRIBES", IMAGE]];
  const os = bom.base.kind === "image" ? bom.base.os : undefined;
  const arch = bom.image.platform.split("/")[1]!;

  packages.push({
    ...basics(IMAGE, bom.image.name, NOASSERTION),
    filesAnalyzed: bom.files.length > 0,
    ...(bom.files.length > 0 ? { packageVerificationCode: { packageVerificationCodeValue: verificationCode(bom.files) } } : {}),
    primaryPackagePurpose: "CONTAINER",
    comment: `Platform ${bom.image.platform}${bom.image.target !== undefined ? `, target ${bom.image.target}` : ""}; declared by ${bom.declaration.file} (sha256:${bom.declaration.sha256})${bom.declaration.variables.length > 0 ? ` with ${bom.declaration.variables.map((v) => `${v.name}=${JSON.stringify(v.value)} (${v.origin})`).join(", ")}` : ""}.`,
  });

  if (bom.base.kind === "image") {
    const base = bom.base;
    const purl = baseImagePurl(base, bom.image.platform);
    packages.push({
      ...basics(BASE_IMAGE, imageName(base.canonicalName), NOASSERTION),
      versionInfo: base.canonicalName.split("@")[1]!,
      filesAnalyzed: false,
      primaryPackagePurpose: "CONTAINER",
      ...(purl !== undefined ? { externalRefs: [purlRef(purl)] } : {}),
      comment: `Base image ${base.canonicalName}.`,
    });
    relationships.push([IMAGE, "DESCENDANT_OF", BASE_IMAGE]);
    if (os !== undefined) {
      packages.push({
        ...basics(OS, os.id, NOASSERTION),
        supplier: spdxParty(distribution(os)),
        versionInfo: os.versionId || os.versionCodename || NOASSERTION,
        filesAnalyzed: false,
        primaryPackagePurpose: "OPERATING_SYSTEM",
        ...(os.versionCodename ? { comment: `Codename ${os.versionCodename}.` } : {}),
      });
      relationships.push([BASE_IMAGE, "CONTAINS", OS], [IMAGE, "CONTAINS", OS]);
    }
  }

  const inImage = imagePackages(bom);
  const basePackages = bom.base.kind === "image" ? bom.base.packages : [];
  const binaryId = (p: BomInstalledPackage) => ids.id(`deb:${p.name}:${p.architecture}:${p.version}`, p.name, p.version, p.architecture);
  const described = new Set<string>();
  const dependsOn = dependencyLookup(bom);
  const allBinaries = [...inImage.map((x) => x.package), ...basePackages].sort(compareBy((p) => [p.name, p.architecture, p.version]));
  for (const p of allBinaries) {
    const id = binaryId(p);
    if (described.has(id)) continue;
    described.add(id);
    packages.push(binaryPackage(id, p, os));
    for (const d of dependsOn(p)) relationships.push([id, "DEPENDS_ON", binaryId(d)]);
  }
  for (const x of inImage) relationships.push([IMAGE, "CONTAINS", binaryId(x.package)]);
  for (const p of requestedPackages(bom)) relationships.push([IMAGE, "DEPENDS_ON", binaryId(p)]);
  for (const p of basePackages) relationships.push([BASE_IMAGE, "CONTAINS", binaryId(p)]);

  // a source package's Maintainer is its binaries' (dpkg records it per binary): the first one's that has it
  const maintainers = new Map<string, string>();
  for (const p of allBinaries) {
    const key = `${p.source.name}\0${p.source.version}`;
    if (p.maintainer !== undefined && !maintainers.has(key)) maintainers.set(key, p.maintainer);
  }
  for (const s of sourcePackagesOf(allBinaries)) {
    const id = ids.id(`deb-src:${s.name}:${s.version}`, s.name, s.version, "source");
    packages.push(sourcePackage(id, s, os, maintainers.get(`${s.name}\0${s.version}`)));
  }
  for (const p of allBinaries) {
    relationships.push([binaryId(p), "GENERATED_FROM", ids.id(`deb-src:${p.source.name}:${p.source.version}`)]);
  }

  for (const f of bom.files) {
    const id = ids.id(`file:${f.path}`, "File", f.path.slice(1));
    files.push({
      SPDXID: id,
      fileName: `.${f.path}`,
      checksums: [
        { algorithm: "SHA1", checksumValue: f.sha1 },
        sha256Checksum(f.sha256),
      ],
      licenseConcluded: NOASSERTION,
      copyrightText: NOASSERTION,
      comment: `Mode ${formatMode(f.mode)}, ${f.size} bytes, from ${describeOrigin(f.origin)}.`,
    });
    relationships.push([IMAGE, "CONTAINS", id]);
    for (const [type, origin] of originPackages(f, ids, arch)) {
      if (!described.has(origin["SPDXID"] as string)) packages.push(origin);
      described.add(origin["SPDXID"] as string);
      relationships.push([id, type, origin["SPDXID"] as string]);
    }
  }

  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: `${bom.image.name} (${bom.image.platform})`,
    documentNamespace: `https://slipway.dev/spdx/${encodeURIComponent(bom.image.name.replace(/[^A-Za-z0-9._-]+/g, "-"))}-${bomContentId(bom)}`,
    creationInfo: { created: bomCreated(bom), creators: [`Tool: ${bom.tool.name}-${bom.tool.version}`] },
    packages: packages.map((p) => ({ supplier: NOASSERTION, ...p })),
    files,
    ...(bom.licences !== undefined && bom.licences.length > 0
      ? { hasExtractedLicensingInfos: bom.licences.map((l) => ({ licenseId: l.id, name: l.name, extractedText: l.text })) }
      : {}),
    relationships: sortedUnique(relationships).map(([spdxElementId, relationshipType, relatedSpdxElement]) => ({ spdxElementId, relationshipType, relatedSpdxElement })),
  };
}

/** How licenseDeclared was read, for licenseComments. */
const LICENCE_FROM = {
  dep5: "Declared by /usr/share/doc/NAME/copyright (machine-readable, DEP-5).",
  "common-licenses": "Declared by /usr/share/doc/NAME/copyright, not machine-readable: the /usr/share/common-licenses files it points at.",
  unreadable: "/usr/share/doc/NAME/copyright states no licence slipway can read without guessing.",
  missing: "The image has no /usr/share/doc/NAME/copyright.",
} as const;

/** `docker.io/library/debian` from `docker.io/library/debian:bookworm@sha256:…` */
function imageName(canonical: string): string {
  const ref = parseImageRef(canonical);
  return ref !== undefined ? `${ref.domain}/${ref.path}` : canonical;
}

function basics(id: string, name: string, downloadLocation: string): Json {
  return {
    SPDXID: id,
    name,
    downloadLocation,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
  };
}

/** A Debian binary package: supplied by the distribution, originated by its Maintainer, with its licence. */
function binaryPackage(id: string, p: BomInstalledPackage, os: BomOsRelease | undefined): Json {
  const added = isAddedPackage(p) ? p : undefined;
  return {
    ...basics(id, p.name, added?.location.uri ?? NOASSERTION),
    versionInfo: p.version,
    ...(added !== undefined ? { packageFileName: added.location.filename, checksums: [sha256Checksum(added.location.sha256)] } : {}),
    supplier: spdxParty(distribution(os)),
    originator: spdxParty(maintainerParty(p.maintainer)),
    filesAnalyzed: false,
    licenseDeclared: p.licence?.declared ?? NOASSERTION,
    ...(p.licence !== undefined ? { licenseComments: LICENCE_FROM[p.licence.from].replace("NAME", p.name) } : {}),
    sourceInfo: `built from Debian source package ${p.source.name} ${p.source.version}`,
    externalRefs: [purlRef(debPurl(os, p.name, p.version, p.architecture, p.source))],
  };
}

function sourcePackage(id: string, s: SourcePackage, os: BomOsRelease | undefined, maintainer: string | undefined): Json {
  const dsc = s.files.find((f) => f.filename.endsWith(".dsc")) ?? s.files[0];
  const vcsLocation = s.vcs.map(vcsDownloadLocation).find((x) => x !== undefined);
  const info = [
    ...s.files.map((f) => `${f.filename} sha256:${f.sha256} ${f.size} bytes <${f.uri}>`),
    ...s.vcs.map((v) => `vcs ${describeVcs(v)}`),
  ];
  return {
    ...basics(id, s.name, dsc?.uri ?? vcsLocation ?? NOASSERTION),
    versionInfo: s.version,
    ...(dsc !== undefined ? { packageFileName: dsc.filename, checksums: [sha256Checksum(dsc.sha256)] } : {}),
    filesAnalyzed: false,
    primaryPackagePurpose: "SOURCE",
    supplier: spdxParty(distribution(os)),
    ...(maintainer !== undefined ? { originator: spdxParty(maintainerParty(maintainer)) } : {}),
    ...(info.length > 0 ? { sourceInfo: info.join("; ") } : {}),
    externalRefs: [purlRef(debPurl(os, s.name, s.version, "source"))],
  };
}

/** The packages a file came from and how it relates to each. */
function originPackages(f: BomFile, ids: SpdxIds, arch: string): [string, Json][] {
  const o = f.origin;
  const vcs = (v: BomVcs): [string, Json] => {
    const key = `vcs:${v.type}:${v.repository}:${v.ref}:${v.commit ?? ""}`;
    return [
      "GENERATED_FROM",
      {
        ...basics(ids.id(key, "Source", urlFileName(v.repository), v.commit ?? v.ref), v.repository, vcsDownloadLocation(v) ?? NOASSERTION),
        versionInfo: v.commit ?? v.ref,
        filesAnalyzed: false,
        primaryPackagePurpose: "SOURCE",
        comment: `Declared source: ${describeVcs(v)}.`,
      },
    ];
  };
  switch (o.kind) {
    case "context":
      return [];
    case "tarball": {
      const tarball: [string, Json] = [
        "EXPANDED_FROM_ARCHIVE",
        {
          ...basics(ids.id(`tarball:${o.tarball}:${o.tarballSha256}`, "Tarball", o.tarball), o.tarball, NOASSERTION),
          packageFileName: o.tarball,
          checksums: [sha256Checksum(o.tarballSha256)],
          filesAnalyzed: false,
          primaryPackagePurpose: "ARCHIVE",
          comment: "From the build context.",
        },
      ];
      return o.vcs !== undefined ? [tarball, vcs(o.vcs)] : [tarball];
    }
    case "http":
      return [
        [
          "GENERATED_FROM",
          {
            ...basics(ids.id(`http:${o.url}:${o.sha256}`, "Download", urlFileName(o.url)), urlFileName(o.url), o.url),
            packageFileName: urlFileName(o.url),
            checksums: [sha256Checksum(o.sha256)],
            filesAnalyzed: false,
            primaryPackagePurpose: "FILE",
          },
        ],
      ];
    case "git":
      return [vcs({ type: "git", repository: o.repository, ref: o.ref, commit: o.commit })];
    case "image": {
      const purl = ociPurl(o.image, arch);
      return [
        [
          "GENERATED_FROM",
          {
            ...basics(ids.id(`image:${o.image}`, "Image", imageName(o.image)), imageName(o.image), NOASSERTION),
            versionInfo: o.image.split("@")[1]!,
            filesAnalyzed: false,
            primaryPackagePurpose: "CONTAINER",
            ...(purl !== undefined ? { externalRefs: [purlRef(purl)] } : {}),
          },
        ],
      ];
    }
    case "step":
      return o.vcs !== undefined ? [vcs(o.vcs)] : [];
  }
}

/** SPDX 2.3 §7.9: sha1 over the sorted, concatenated sha1s of the package's files. */
function verificationCode(files: readonly BomFile[]): string {
  return sha1Hex(
    files
      .map((f) => f.sha1)
      .sort()
      .join(""),
  );
}

function sha256Checksum(hex: string): Json {
  return { algorithm: "SHA256", checksumValue: hex };
}

function purlRef(locator: string): Json {
  return { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: locator };
}

/**
 * The relationships without repeats, sorted element by element (code units, as compareBy sorts): by
 * one string per row, since no SPDX id or relationship type holds the NUL that joins them, and a few
 * thousand rows sort faster as strings than as tuples.
 */
function sortedUnique(rows: readonly [string, string, string][]): [string, string, string][] {
  const byKey = new Map<string, [string, string, string]>();
  for (const r of rows) byKey.set(r.join("\0"), r);
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}
