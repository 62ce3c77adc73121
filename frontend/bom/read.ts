import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BOM_FILES, PREDICATE_TYPES, type BomFormat } from "./names.js";
import { readBomJson, writeBomJson } from "./canonical.js";
import { BomReadError, isBomInputError } from "./errors.js";
import type { Bom } from "./model.js";
import { findBomInImage, type ImageStore, DEFAULT_READ_LIMITS, pathKind, readRegularFile, directoryReader, layoutStore, parseJson, tarReader, registryStore, type RegistryOptions, openTar, tarKind, TarFormatError } from "../oci/index.js";
import { isPlainEstaleiroYaml, readEstaleiroYaml } from "./read-estaleiro.js";
import { writeCycloneDx } from "./write-cyclonedx.js";
import { writeEstaleiroYaml } from "./write-estaleiro.js";
import { writeSpdx } from "./write-spdx.js";

/** A BOM found somewhere: the model when slipway wrote it, and the documents exactly as they were stored. */
export interface BomSource {
  /** What was read, for messages: `out.tar (OCI layout, linux/amd64)`. */
  readonly description: string;
  /** Absent only for an estaleiro-built image, whose label holds estaleiro's YAML without slipway's facts. */
  readonly bom?: Bom;
  readonly documents: Readonly<Partial<Record<BomFormat, string>>>;
}

export interface ReadBomOptions extends RegistryOptions {
  /** `os/arch[/variant]`, needed when the source holds several platforms. */
  readonly platform: string;
  /** Where relative paths start; the process's working directory by default. */
  readonly cwd: string;
}

/**
 * Reads the BOM of `source`, which is one of:
 * - a directory from `--target bom --output type=local,dest=DIR` (the documents, or one sub-directory
 *   per platform such as `linux_amd64/`), or a single bom.json / bom.yaml file;
 * - an OCI layout from `--output type=oci` (tarball or `tar=false` directory), or a `docker save` tarball;
 * - an image reference in a registry.
 * Images are read from their attestations, falling back to the `estaleiro.bom` label.
 */
export async function readBomSource(source: string, options: Partial<ReadBomOptions> = {}): Promise<BomSource> {
  const path = resolve(options.cwd ?? process.cwd(), source);
  const kind = await pathKind(path);
  if (kind === "missing") return fromImage(registryStore(source, options), options.platform);
  // A FIFO would block and a device would never end: only files and directories are sources.
  if (kind === "other") throw new BomReadError(source, "is neither a regular file nor a directory (a device, FIFO or socket)");
  if (kind === "directory") {
    const read = directoryReader(path, source);
    if ((await read("index.json")) !== undefined) return fromImage(layoutStore(`${source} (OCI layout)`, read), options.platform);
    return fromDocumentDirectory(source, path, options.platform);
  }
  // a tar archive, or a gzip stream taken for a compressed one (openTar reads both)
  if ((await tarKind(path)) !== undefined) {
    let tar;
    try {
      tar = await openTar(path);
    } catch (e) {
      if (e instanceof TarFormatError) throw new BomReadError(source, `is not a readable tar archive: ${e.message}`);
      throw e;
    }
    try {
      if (tar.names.includes("index.json")) return await fromImage(layoutStore(`${source} (OCI layout)`, tarReader(tar, source)), options.platform);
      if (tar.names.includes("manifest.json")) return await fromDockerArchive(source, tarReader(tar, source));
      throw new BomReadError(source, "is a tar archive but neither an OCI layout (index.json) nor a `docker save` archive (manifest.json)");
    } finally {
      await tar.close();
    }
  }
  return fromDocumentFile(source, path);
}

/** The document in `format`: as stored when it was, else written from the model. */
export function bomDocument(source: BomSource, format: BomFormat): string {
  const stored = source.documents[format];
  if (stored !== undefined) return stored;
  if (source.bom === undefined) {
    throw new BomReadError(source.description, `holds only estaleiro's YAML BOM (no slipway facts), so it cannot be shown as ${format}; use --format yaml`);
  }
  switch (format) {
    case "estaleiro":
      return writeEstaleiroYaml(source.bom);
    case "spdx":
      return writeSpdx(source.bom);
    case "cyclonedx":
      return writeCycloneDx(source.bom);
    case "model":
      return writeBomJson(source.bom);
  }
}

async function fromImage(store: ImageStore, platform: string | undefined): Promise<BomSource> {
  const found = await findBomInImage(store, platform, [PREDICATE_TYPES.model, PREDICATE_TYPES.spdx, PREDICATE_TYPES.cyclonedx]);
  const description = `${store.description}, ${found.platform}`;
  const documents: Partial<Record<BomFormat, string>> = {};
  const spdx = found.predicates.get(PREDICATE_TYPES.spdx);
  const cyclonedx = found.predicates.get(PREDICATE_TYPES.cyclonedx);
  const model = found.predicates.get(PREDICATE_TYPES.model);
  if (spdx !== undefined) documents.spdx = spdx;
  if (cyclonedx !== undefined) documents.cyclonedx = cyclonedx;
  if (model !== undefined) {
    documents.model = model;
    return { description, bom: parseDocument(description, BOM_FILES.model, model), documents };
  }
  if (found.estaleiroLabel !== undefined) return fromEstaleiroLabel(`${description} (estaleiro.bom label)`, found.estaleiroLabel, documents);
  throw new BomReadError(
    description,
    `has no slipway BOM: no attestation of type ${PREDICATE_TYPES.model} and no estaleiro.bom label. ` +
      "Attestations survive only in OCI exports and registry pushes (`--output type=oci`, `--push`); " +
      "`docker build --load` into Docker's classic image store drops them",
  );
}

function fromEstaleiroLabel(description: string, yaml: string, documents: Partial<Record<BomFormat, string>>): BomSource {
  if (isPlainEstaleiroYaml(yaml)) return { description, documents: { ...documents, estaleiro: yaml } };
  return { description, bom: parseDocument(description, BOM_FILES.estaleiro, yaml), documents: { ...documents, estaleiro: yaml } };
}

/** `docker save` without an OCI index (Docker before 25): only the label can carry a BOM. */
async function fromDockerArchive(source: string, read: (path: string) => Promise<Uint8Array | undefined>): Promise<BomSource> {
  const manifestBytes = await read("manifest.json");
  const manifest = parseJson(source, "manifest.json", manifestBytes!) as { Config?: string }[];
  if (!Array.isArray(manifest) || manifest.length !== 1 || typeof manifest[0]?.Config !== "string") {
    throw new BomReadError(source, "manifest.json should list exactly one image; save one image per archive");
  }
  const configBytes = await read(manifest[0].Config);
  if (configBytes === undefined) throw new BomReadError(source, `the image config ${manifest[0].Config} is missing from the archive`);
  const config = parseJson(source, manifest[0].Config, configBytes) as { config?: { Labels?: Record<string, string> } };
  const label = config.config?.Labels?.["estaleiro.bom"];
  if (label === undefined) {
    throw new BomReadError(source, "has no estaleiro.bom label and, as a Docker image archive, no attestations; export with `--output type=oci` to keep them");
  }
  return fromEstaleiroLabel(`${source} (estaleiro.bom label)`, Buffer.from(label, "base64").toString("utf8"), {});
}

const DOCUMENT_FORMATS: readonly BomFormat[] = ["model", "estaleiro", "spdx", "cyclonedx"];

async function fromDocumentDirectory(directory: string, path: string, platform: string | undefined): Promise<BomSource> {
  const documents = await readDocuments(path);
  if (Object.keys(documents).length > 0) return documentsSource(directory, documents);
  // A multi-platform local export puts each platform in its own directory: linux_amd64, linux_arm_v7…
  const platforms = (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const withDocuments: string[] = [];
  for (const name of platforms) if (Object.keys(await readDocuments(join(path, name))).length > 0) withDocuments.push(name);
  const wanted = platform?.replaceAll("/", "_");
  const chosen = wanted !== undefined ? withDocuments.find((p) => p === wanted) : withDocuments.length === 1 ? withDocuments[0] : undefined;
  if (chosen !== undefined) return documentsSource(join(directory, chosen), await readDocuments(join(path, chosen)));
  if (withDocuments.length === 0) {
    throw new BomReadError(directory, `holds no BOM documents (${Object.values(BOM_FILES).join(", ")}); export them with \`--target bom --output type=local,dest=DIR\``);
  }
  const names = withDocuments.map((p) => p.replaceAll("_", "/")).join(", ");
  throw new BomReadError(directory, wanted !== undefined ? `has no BOM for ${platform}; it has ${names}` : `holds BOMs for ${names}; choose one with --platform`);
}

async function readDocuments(directory: string): Promise<Partial<Record<BomFormat, string>>> {
  const read = directoryReader(directory);
  const documents: Partial<Record<BomFormat, string>> = {};
  for (const format of DOCUMENT_FORMATS) {
    const bytes = await read(BOM_FILES[format]);
    if (bytes !== undefined) documents[format] = new TextDecoder().decode(bytes);
  }
  return documents;
}

function documentsSource(description: string, documents: Partial<Record<BomFormat, string>>): BomSource {
  if (documents.model !== undefined) return { description, bom: parseDocument(description, BOM_FILES.model, documents.model), documents };
  if (documents.estaleiro !== undefined) return fromEstaleiroLabel(description, documents.estaleiro, documents);
  throw new BomReadError(description, `has ${Object.keys(documents).map((f) => BOM_FILES[f as BomFormat]).join(", ")} but neither ${BOM_FILES.model} nor ${BOM_FILES.estaleiro}, which slipway reads its facts from`);
}

async function fromDocumentFile(source: string, path: string): Promise<BomSource> {
  const bytes = await readRegularFile(source, path, "the file", DEFAULT_READ_LIMITS.jsonBytes);
  if (bytes === undefined) throw new BomReadError(source, "no such file");
  const text = new TextDecoder().decode(bytes);
  if (text.trimStart().startsWith("{")) return { description: source, bom: parseDocument(source, BOM_FILES.model, text), documents: { model: text } };
  return fromEstaleiroLabel(source, text, {});
}

function parseDocument(description: string, name: string, text: string): Bom {
  try {
    return name === BOM_FILES.model ? readBomJson(text) : readEstaleiroYaml(text);
  } catch (e) {
    if (isBomInputError(e)) throw new BomReadError(description, `${name} is not a slipway BOM: ${e.problems.join("; ")}`);
    throw e;
  }
}
