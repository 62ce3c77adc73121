import { parseImageRef } from "../oci/index.js";
import type { BomImageBase, BomOsRelease, BomSourceRef } from "./model.js";
import { compareStrings } from "./order.js";

/**
 * Package URLs (package-url/purl-spec). Components are percent-encoded as the spec's "Character encoding"
 * section says: only letters, digits, `.-_~` and the colon stay as they are (so `+` is `%2B`, `/` inside
 * a qualifier value is `%2F`, and a Debian epoch `1:2.4` keeps its colon). Qualifiers are sorted by key and
 * empty values are left out.
 *
 * @example
 * purl({ type: "deb", namespace: "debian", name: "curl", version: "7.88.1-10+deb12u5",
 *        qualifiers: { arch: "amd64", distro: "debian-12" } })
 * // "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12"
 */
export function purl(parts: PurlParts): string {
  const namespace = parts.namespace === undefined ? "" : `${parts.namespace.split("/").filter((s) => s !== "").map(encodeComponent).join("/")}/`;
  const version = parts.version === undefined ? "" : `@${encodeComponent(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== "")
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([k, val]) => `${k.toLowerCase()}=${encodeComponent(val)}`);
  return `pkg:${parts.type}/${namespace}${encodeComponent(parts.name)}${version}${qualifiers.length > 0 ? `?${qualifiers.join("&")}` : ""}`;
}

export interface PurlParts {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers?: Readonly<Record<string, string | undefined>>;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9.\-_~:]*$/;

/** Percent-encodes every UTF-8 byte outside `A-Za-z0-9.-_~:`. */
export function encodeComponent(text: string): string {
  // most names, versions and qualifier values need no encoding at all: a BOM writes thousands of them
  if (UNRESERVED_ONLY.test(text)) return text;
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.\-_~:]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * `pkg:deb/<os id>/<name>@<version>?arch=<arch>&distro=<id>-<VERSION_ID>`; `arch=source` for a source
 * package. The namespace is the os-release `ID` (debian, ubuntu), `debian` when the image has none.
 */
export function debPurl(os: BomOsRelease | undefined, name: string, version: string, arch: string, source?: BomSourceRef): string {
  return purl({
    type: "deb",
    namespace: (os?.id || "debian").toLowerCase(),
    name: name.toLowerCase(),
    version,
    qualifiers: { arch, distro: distroQualifier(os), upstream: source && upstreamQualifier(name, version, source) },
  });
}

/**
 * syft's `upstream` qualifier, which grype matches Debian's advisories (keyed by source package) through:
 * the source's name when only the name differs (`libcurl4` → `curl`), `name@version` when the version
 * does (a binNMU: `bash` 5.2.15-2+b8 from `bash` 5.2.15-2), nothing when the source is the binary's own.
 */
export function upstreamQualifier(name: string, version: string, source: BomSourceRef): string | undefined {
  if (source.version !== version) return `${source.name}@${source.version}`;
  return source.name !== name ? source.name : undefined;
}

/** `debian-12`, or `debian-trixie` when there is no VERSION_ID (testing, sid); absent without os-release. */
export function distroQualifier(os: BomOsRelease | undefined): string | undefined {
  if (os === undefined) return undefined;
  const release = os.versionId || os.versionCodename;
  return release ? `${os.id}-${release}` : os.id;
}

/** `pkg:oci/debian@sha256:…?repository_url=docker.io%2Flibrary%2Fdebian&tag=bookworm` for a pinned reference. */
export function ociPurl(reference: string, arch?: string): string | undefined {
  const ref = parseImageRef(reference);
  if (ref?.digest === undefined) return undefined;
  return purl({
    type: "oci",
    name: ref.path.split("/").pop()!.toLowerCase(),
    version: ref.digest,
    qualifiers: { arch, repository_url: `${ref.domain}/${ref.path}`, tag: ref.tag },
  });
}

/** The base image's purl, with the architecture of the platform it was resolved for. */
export function baseImagePurl(base: BomImageBase, platform: string): string | undefined {
  return ociPurl(base.canonicalName, platform.split("/")[1]);
}
