import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { MAX_COPYRIGHT_BYTES, readCopyright, type ExtractedLicence } from "../bom/copyright.js";
import type { BomExtractedLicence, BomInputs, BomInstalledPackageInput, BomPackageLicence } from "../bom/index.js";
import { parseRelations, satisfiesVersion, type Relation, type InstalledPackage } from "../debian/dpkg.js";
import type { MountedTree } from "./measured-tree.js";

/**
 * What an image's dpkg database and copyright files say about each installed package beyond its name
 * and version: its maintainer, the installed packages its Pre-Depends and Depends resolved to, and the
 * licence its /usr/share/doc/<name>/copyright declares.
 */
export interface PackageFacts {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly maintainer?: string;
  /** `name:arch` of what each dependency group resolved to, sorted. */
  readonly dependsOn: readonly string[];
  readonly licence: BomPackageLicence;
  /** The LicenseRefs `licence.declared` uses, ids as the copyright file alone gives them. */
  readonly extracted: readonly ExtractedLicence[];
}

interface StatusEntry {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly multiArch: string;
  readonly maintainer?: string;
  readonly relations: string;
  readonly provides: readonly Relation[];
}

/** Copyright files read at once: enough to hide latency, few enough for any file-descriptor limit. */
const CONCURRENCY = 32;

/**
 * The facts of every installed package of the tree, by `name:arch`, from its dpkg database as
 * `readImagePackages` parsed it (the worker reads each database once, for its checks and for these);
 * undefined when the tree has none.
 */
export async function readPackageFacts(tree: MountedTree, installed: readonly InstalledPackage[] | undefined): Promise<Map<string, PackageFacts> | undefined> {
  if (installed === undefined) return undefined;
  const entries: StatusEntry[] = installed.map((p) => ({
    name: p.name,
    version: p.version,
    architecture: p.architecture,
    multiArch: p.multiArch,
    ...(p.maintainer ? { maintainer: decodeUtf8(p.maintainer).trim() } : {}),
    relations: [p.fields["pre-depends"], p.fields.depends].filter((x) => x).join(", "),
    provides: parseRelations(p.fields.provides).groups.flat(),
  }));
  const resolve = dependencyResolver(entries);
  const out = new Map<string, PackageFacts>();
  const read = new LicenceCache();
  const docs = await docDirectory(tree);
  for (let i = 0; i < entries.length; i += CONCURRENCY) {
    const batch = await Promise.all(entries.slice(i, i + CONCURRENCY).map(async (e) => ({ e, copyright: await readLicence(tree, e.name, read, docs) })));
    for (const { e, copyright } of batch) {
      out.set(`${e.name}:${e.architecture}`, {
        name: e.name,
        version: e.version,
        architecture: e.architecture,
        ...(e.maintainer !== undefined ? { maintainer: e.maintainer } : {}),
        dependsOn: resolve(e),
        ...copyright,
      });
    }
  }
  return out;
}

/** dpkg's status is bytes; field values are UTF-8 in practice (maintainers' names). */
function decodeUtf8(latin1: string): string {
  return /[^\x00-\x7f]/.test(latin1) ? UTF8.decode(Buffer.from(latin1, "latin1")) : latin1;
}

const UTF8 = new TextDecoder("utf-8");

async function readLicence(tree: MountedTree, name: string, read: LicenceCache, docs: DocDirectory): Promise<ReturnType<typeof licenceOf>> {
  // The common case is a regular file in a plain directory under the resolved /usr/share/doc: opened
  // with O_NOFOLLOW (a symlink fails to open and goes the long way) and read synchronously, since the
  // worker does nothing else meanwhile and a promise per step costs more CPU than the read. Anything
  // symlinked is resolved inside the image root by the tree.
  let bytes = docs.realDirs.has(name) ? readRegularFile(join(docs.host!, name, "copyright")) : undefined;
  if (bytes === undefined) {
    const found = await tree.stat(`/usr/share/doc/${name}/copyright`);
    if (!found?.stat.isFile()) return { licence: { declared: "NOASSERTION", from: "missing" }, extracted: [] };
    bytes = found.stat.size > MAX_COPYRIGHT_BYTES ? "too big" : readFileSync(found.host);
  }
  if (bytes === "too big") return { licence: { declared: "NOASSERTION", from: "unreadable" }, extracted: [] };
  return read.licenceOf(bytes);
}

/**
 * Packages of one source ship the same text (krb5's four libraries, 63 KB each): each distinct text is
 * read once. Texts are told apart by their bytes, compared only with texts of the same size, so no key
 * as large as the text is ever made.
 */
class LicenceCache {
  readonly #bySize = new Map<number, { bytes: Buffer; licence: ReturnType<typeof licenceOf> }[]>();

  licenceOf(bytes: Buffer): ReturnType<typeof licenceOf> {
    let same = this.#bySize.get(bytes.length);
    if (same === undefined) this.#bySize.set(bytes.length, (same = []));
    const known = same.find((x) => x.bytes.equals(bytes));
    if (known !== undefined) return known.licence;
    const licence = licenceOf(bytes);
    same.push({ bytes, licence });
    return licence;
  }
}

/** A regular file's bytes, "too big", or undefined when `host` is not a regular file (or is a symlink). */
function readRegularFile(host: string): Buffer | "too big" | undefined {
  let fd: number;
  try {
    fd = openSync(host, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_COPYRIGHT_BYTES) return "too big";
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** /usr/share/doc resolved once, and which of its entries are plain directories. */
interface DocDirectory {
  readonly host?: string;
  readonly realDirs: ReadonlySet<string>;
}

async function docDirectory(tree: MountedTree): Promise<DocDirectory> {
  const found = await tree.stat("/usr/share/doc");
  if (!found?.stat.isDirectory()) return { realDirs: new Set() };
  const entries = await readdir(found.host, { withFileTypes: true });
  return { host: found.host, realDirs: new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name)) };
}


function licenceOf(bytes: Uint8Array): { licence: BomPackageLicence; extracted: readonly ExtractedLicence[] } {
  const r = readCopyright(bytes);
  return r.declared === undefined
    ? { licence: { declared: "NOASSERTION", from: "unreadable" }, extracted: [] }
    : { licence: { declared: r.declared, from: r.format === "dep5" ? "dep5" : "common-licenses" }, extracted: r.extracted };
}

/**
 * Each alternative group resolves to the first alternative dpkg finds installed: a package of that name
 * (of the depender's architecture, `all`, or any with `:any` / Multi-Arch: foreign) whose version
 * satisfies the relation, else a package that Provides it (with a version when one is asked for).
 */
function dependencyResolver(entries: readonly StatusEntry[]): (e: StatusEntry) => string[] {
  const byName = new Map<string, StatusEntry[]>();
  const providers = new Map<string, { entry: StatusEntry; version?: string }[]>();
  for (const e of entries) {
    byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
    for (const p of e.provides) providers.set(p.name, [...(providers.get(p.name) ?? []), { entry: e, ...(p.version !== undefined ? { version: p.version } : {}) }]);
  }
  const archFits = (r: Relation, from: StatusEntry, to: StatusEntry): boolean => {
    const q = r.archQualifier;
    if (q === "any") return true;
    if (q !== undefined && q !== "native") return to.architecture === q;
    return to.architecture === from.architecture || to.architecture === "all" || from.architecture === "all" || to.multiArch === "foreign";
  };
  const find = (r: Relation, from: StatusEntry): StatusEntry | undefined => {
    const direct = (byName.get(r.name) ?? []).find((c) => archFits(r, from, c) && (r.operator === undefined || satisfiesVersion(c.version, r.operator, r.version!)));
    if (direct) return direct;
    return (providers.get(r.name) ?? []).find(
      (p) => archFits(r, from, p.entry) && (r.operator === undefined || (p.version !== undefined && satisfiesVersion(p.version, r.operator, r.version!))),
    )?.entry;
  };
  return (e) => {
    const out = new Set<string>();
    for (const group of parseRelations(e.relations, { architecture: e.architecture }).groups) {
      for (const alt of group) {
        const hit = find(alt, e);
        if (hit) {
          out.add(`${hit.name}:${hit.architecture}`);
          break;
        }
      }
    }
    return [...out].sort();
  };
}

/**
 * One id per text across the image: copyright files name different texts alike (every `public-domain`
 * differs), so an id several packages use for different texts gets the first 8 hex digits of its text's
 * sha256 appended, in every package that uses it. Deterministic: the ids depend on the texts only.
 */
export function uniqueLicenceRefs(facts: readonly PackageFacts[]): { facts: PackageFacts[]; licences: BomExtractedLicence[] } {
  const texts = new Map<string, Set<string>>();
  for (const f of facts) for (const x of f.extracted) texts.set(x.id, (texts.get(x.id) ?? new Set()).add(x.text));
  const licences = new Map<string, BomExtractedLicence>();
  // packages of one source share their texts: each is hashed once
  const digests = new Map<string, string>();
  const digest = (text: string) => digests.get(text) ?? digests.set(text, createHash("sha256").update(text).digest("hex").slice(0, 8)).get(text)!;
  const renamed = facts.map((f) => {
    let declared = f.licence.declared;
    for (const x of f.extracted) {
      const id = texts.get(x.id)!.size > 1 ? `${x.id}-${digest(x.text)}` : x.id;
      if (id !== x.id) declared = declared.split(/(?=[ ()])|(?<=[ ()])/).map((t) => (t === x.id ? id : t)).join("");
      if (!licences.has(id)) licences.set(id, { id, name: x.name, text: x.text });
    }
    return { ...f, licence: { ...f.licence, declared } };
  });
  return { facts: renamed, licences: [...licences.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/** A mounted tree with its dpkg database as `readImagePackages` read it (undefined: it has none). */
export interface DpkgTree {
  readonly tree: MountedTree;
  readonly installed: readonly InstalledPackage[] | undefined;
}

/**
 * The inputs with each package's facts: the added packages' and the base packages' still in the image
 * from the built image's dpkg database, a base package the build replaced from the base image's, so
 * every package in the BOM carries what dpkg recorded for that very version.
 */
export async function withPackageFacts(inputs: BomInputs, image: DpkgTree, base: DpkgTree | undefined): Promise<BomInputs> {
  const inImage = await readPackageFacts(image.tree, image.installed);
  if (inImage === undefined) return inputs;
  const basePackages = inputs.base.kind === "image" ? (inputs.base.packages ?? []) : [];
  const stale = basePackages.some((p) => inImage.get(`${p.name}:${p.architecture}`)?.version !== p.version);
  const inBase = stale && base !== undefined ? await readPackageFacts(base.tree, base.installed) : undefined;
  const used = new Map<string, PackageFacts>();
  const factsOf = (p: BomInstalledPackageInput, from: Map<string, PackageFacts> | undefined) => {
    const f = from?.get(`${p.name}:${p.architecture}`);
    if (f !== undefined && f.version === p.version) used.set(`${p.name}:${p.architecture}:${p.version}`, f);
  };
  for (const p of inputs.packages ?? []) factsOf(p, inImage);
  for (const p of basePackages) factsOf(p, inImage.get(`${p.name}:${p.architecture}`)?.version === p.version ? inImage : inBase);
  const unique = uniqueLicenceRefs([...used.values()]);
  const byKey = new Map(unique.facts.map((f) => [`${f.name}:${f.architecture}:${f.version}`, f]));
  const attach = <T extends BomInstalledPackageInput>(p: T): T => {
    const f = byKey.get(`${p.name}:${p.architecture}:${p.version}`);
    return f === undefined ? p : { ...p, ...(f.maintainer !== undefined ? { maintainer: f.maintainer } : {}), dependsOn: f.dependsOn, licence: f.licence };
  };
  return {
    ...inputs,
    packages: (inputs.packages ?? []).map(attach),
    base: inputs.base.kind === "image" ? { ...inputs.base, packages: basePackages.map(attach) } : inputs.base,
    licences: unique.licences,
  };
}
