import { type ImageStore, PREDICATE_TYPE_ANNOTATION } from "../oci/index.js";
import { jsonChanges, type FieldChange } from "./json-changes.js";
import { readLayerEntries, type EntryState, type LayerEntries } from "./layer.js";
import type { ImageDiffLimits } from "./limits.js";
import { jsonBlob, type Descriptor, type ImageTree, type PlatformImage } from "./tree.js";

/** One side of the comparison, as read. */
export interface DiffSide {
  /** The input as given. */
  readonly source: string;
  /** The digest that names the image, when it has one (a registry's answer, a layout's one index). */
  readonly digest: string | null;
  readonly platforms: readonly string[];
}

/** What differs between two images; `identical` when nothing does. The `--json` output, version 1. */
export interface ImageDiff {
  readonly version: 1;
  readonly identical: boolean;
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Fields of the image indexes, their lists of manifests aside. */
  readonly index: readonly FieldChange[];
  readonly platforms: {
    readonly onlyInA: readonly string[];
    readonly onlyInB: readonly string[];
    /** The platforms both have are listed in another order. */
    readonly reordered: boolean;
  };
  /** Every platform both images have whose image differs, sorted by platform. */
  readonly images: readonly PlatformDiff[];
  /** What differs that no field shows, in words. */
  readonly notes: readonly string[];
}

export interface PlatformDiff {
  readonly platform: string;
  readonly manifest: { readonly a: string; readonly b: string };
  readonly config: { readonly a: string; readonly b: string };
  /** Manifest fields, the config and layer descriptors aside (they are `config` and `layers`). */
  readonly manifestFields: readonly FieldChange[];
  readonly configFields: readonly FieldChange[];
  readonly layers: readonly LayerDiff[];
  /** The attestation manifests: `digest`, or one change per predicate type whose layer differs. */
  readonly attestation: readonly FieldChange[];
  /** What differs that no field shows, in words. */
  readonly notes: readonly string[];
}

export interface LayerRef {
  /** Position in the manifest, counted from 1 (the bottom layer). */
  readonly number: number;
  readonly digest: string;
  readonly diffId: string | null;
  readonly mediaType: string | null;
  readonly size: number | null;
}

export interface LayerDiff {
  /** null: the layer is only in the other image. */
  readonly a: LayerRef | null;
  readonly b: LayerRef | null;
  /** Descriptor fields besides digest and size (media type, annotations). */
  readonly fields: readonly FieldChange[];
  /** Sorted by path. */
  readonly files: readonly FileDiff[];
  /** Every file that differs differs in its mtime only. */
  readonly onlyMtimes: boolean;
  readonly note?: string;
}

export type FileField = "type" | "content" | "mode" | "owner" | "mtime" | "link";

export interface FileDiff {
  /** `/etc/hosts`: the entry's name in the layer, whiteout files (`.wh.NAME`) included as they are. */
  readonly path: string;
  readonly change: "added" | "removed" | "changed";
  /** For `changed`, what differs, in this order: type, content, mode, owner, mtime, link. */
  readonly fields: readonly FileField[];
  readonly a?: EntryState;
  readonly b?: EntryState;
}

export interface OpenedImage {
  readonly source: string;
  readonly store: ImageStore;
  readonly tree: ImageTree;
}

/**
 * Compares two images. Equal digests are the end of it; otherwise each platform's manifest, config and
 * attestations field by field, and its layers aligned by content (diff_id) with the differing pairs read
 * entry by entry. Layers both sides share are never read.
 */
export async function diffImages(a: OpenedImage, b: OpenedImage, limits: ImageDiffLimits, platform?: string): Promise<ImageDiff> {
  const pick = (t: ImageTree) => (platform === undefined ? t.images : t.images.filter((i) => i.platform === platform));
  const [imagesA, imagesB] = [pick(a.tree), pick(b.tree)];
  const side = (o: OpenedImage, images: readonly PlatformImage[]): DiffSide => ({ source: o.source, digest: o.tree.digest ?? null, platforms: images.map((i) => i.platform).sort() });
  const sides = { a: side(a, imagesA), b: side(b, imagesB) };
  const none = { index: [], platforms: { onlyInA: [], onlyInB: [], reordered: false }, images: [], notes: [] };
  if (platform === undefined && a.tree.digest !== undefined && a.tree.digest === b.tree.digest) return { version: 1, identical: true, ...sides, ...none };

  const index = platform === undefined && a.tree.index && b.tree.index ? jsonChanges(a.tree.index, b.tree.index, "", (p) => p === "manifests") : [];
  const byPlatform = (images: readonly PlatformImage[]) => new Map(images.map((i) => [i.platform, i]));
  const [mapA, mapB] = [byPlatform(imagesA), byPlatform(imagesB)];
  const common = imagesA.filter((i) => mapB.has(i.platform)).map((i) => i.platform);
  const commonInB = imagesB.filter((i) => mapA.has(i.platform)).map((i) => i.platform);
  const images: PlatformDiff[] = [];
  for (const p of [...common].sort()) {
    const d = await diffPlatform(a.store, mapA.get(p)!, b.store, mapB.get(p)!, limits);
    if (d !== undefined) images.push(d);
  }
  const platforms = {
    onlyInA: imagesA.filter((i) => !mapB.has(i.platform)).map((i) => i.platform).sort(),
    onlyInB: imagesB.filter((i) => !mapA.has(i.platform)).map((i) => i.platform).sort(),
    reordered: common.join() !== commonInB.join(),
  };
  const found = index.length > 0 || platforms.onlyInA.length > 0 || platforms.onlyInB.length > 0 || platforms.reordered || images.length > 0;
  // Two digests that differ are two images, even when nothing above shows how (e.g. the attestation
  // manifests listed in another order): never "identical".
  const notes = !found && platform === undefined && a.tree.digest !== undefined && b.tree.digest !== undefined && a.tree.digest !== b.tree.digest
    ? ["the digests differ, but every platform's image is the same: the indexes list their manifests in other bytes or another order"]
    : [];
  return { version: 1, identical: !found && notes.length === 0, ...sides, index, platforms, images, notes };
}

async function diffPlatform(storeA: ImageStore, a: PlatformImage, storeB: ImageStore, b: PlatformImage, limits: ImageDiffLimits): Promise<PlatformDiff | undefined> {
  const attestation = await attestationChanges(storeA, a, storeB, b, limits);
  if (a.digest === b.digest && attestation.length === 0) return undefined;
  const manifestFields = jsonChanges(a.manifest, b.manifest, "", (p) => p === "layers" || p === "config.digest" || p === "config.size");
  const configFields = jsonChanges(a.config, b.config);
  const layers: LayerDiff[] = [];
  for (const [la, lb] of alignLayers(a, b)) {
    const d = await diffLayer(storeA, la, storeB, lb, limits);
    if (d !== undefined) layers.push(d);
  }
  const notes: string[] = [];
  if (a.digest !== b.digest && manifestFields.length === 0 && layers.length === 0 && a.configDigest === b.configDigest) {
    notes.push("the manifests hold the same fields in other bytes (key order or white space)");
  }
  if (a.configDigest !== b.configDigest && configFields.length === 0) notes.push("the configs hold the same fields in other bytes (key order or white space)");
  return {
    platform: a.platform,
    manifest: { a: a.digest, b: b.digest },
    config: { a: a.configDigest, b: b.configDigest },
    manifestFields,
    configFields,
    layers,
    attestation,
    notes,
  };
}

/**
 * The attestation manifests: when both images have one, the statements of each predicate type whose
 * layer differs, field by field (`["https://spdx.dev/Document"].subject[0].name`).
 */
async function attestationChanges(storeA: ImageStore, a: PlatformImage, storeB: ImageStore, b: PlatformImage, limits: ImageDiffLimits): Promise<FieldChange[]> {
  if (a.attestation?.digest === b.attestation?.digest) return [];
  if (a.attestation === undefined || b.attestation === undefined) {
    return [{ path: "digest", ...(a.attestation && { a: a.attestation.digest }), ...(b.attestation && { b: b.attestation.digest }) }];
  }
  const byType = (m: Readonly<Record<string, unknown>>) => {
    const layers = Array.isArray(m.layers) ? (m.layers as Descriptor[]) : [];
    return new Map(layers.map((l) => [l.annotations?.[PREDICATE_TYPE_ANNOTATION] ?? l.digest, l]));
  };
  const [la, lb] = [byType(a.attestation.manifest), byType(b.attestation.manifest)];
  const changes: FieldChange[] = [];
  for (const type of [...new Set([...la.keys(), ...lb.keys()])].sort()) {
    const [da, db] = [la.get(type), lb.get(type)];
    const path = `[${JSON.stringify(type)}]`;
    if (da?.digest === db?.digest) continue;
    if (da === undefined || db === undefined) {
      changes.push({ path, ...(da && { a: da.digest }), ...(db && { b: db.digest }) });
      continue;
    }
    const [sa, sb] = await Promise.all([
      jsonBlob(storeA, da, limits.attestationBytes, "attestation"),
      jsonBlob(storeB, db, limits.attestationBytes, "attestation"),
    ]);
    const inside = jsonChanges(sa, sb, path);
    changes.push(...(inside.length > 0 ? inside : [{ path, a: da.digest, b: db.digest }]));
  }
  return changes.length > 0 ? changes : [{ path: "digest", a: a.attestation.digest, b: b.attestation.digest }];
}

type LayerPair = readonly [LayerRef | null, LayerRef | null];

function layerRefs(image: PlatformImage): LayerRef[] {
  return image.layers.map((d, index) => ({
    number: index + 1,
    digest: d.digest,
    diffId: image.diffIds[index] ?? null,
    mediaType: typeof d.mediaType === "string" ? d.mediaType : null,
    size: typeof d.size === "number" ? d.size : null,
  }));
}

/**
 * Pairs the layers of two images: those with the same content (diff_id, else digest) along the longest
 * common sequence, and between two such anchors the rest position by position, so that one inserted or
 * removed layer does not make every later layer look changed.
 */
export function alignLayers(a: PlatformImage, b: PlatformImage): LayerPair[] {
  const [la, lb] = [layerRefs(a), layerRefs(b)];
  const key = (l: LayerRef) => l.diffId ?? l.digest;
  // lcs[i][j]: the longest common sequence of la[i..] and lb[j..]
  const lcs = Array.from({ length: la.length + 1 }, () => new Array<number>(lb.length + 1).fill(0));
  for (let i = la.length - 1; i >= 0; i--) {
    for (let j = lb.length - 1; j >= 0; j--) lcs[i]![j] = key(la[i]!) === key(lb[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const pairs: LayerPair[] = [];
  let gapA: LayerRef[] = [];
  let gapB: LayerRef[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(gapA.length, gapB.length); k++) pairs.push([gapA[k] ?? null, gapB[k] ?? null]);
    gapA = [];
    gapB = [];
  };
  let [i, j] = [0, 0];
  while (i < la.length || j < lb.length) {
    if (i < la.length && j < lb.length && key(la[i]!) === key(lb[j]!)) {
      flush();
      pairs.push([la[i++]!, lb[j++]!]);
    } else if (j >= lb.length || (i < la.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) gapA.push(la[i++]!);
    else gapB.push(lb[j++]!);
  }
  flush();
  return pairs;
}

const EMPTY: LayerEntries = { entries: new Map(), order: [] };

async function diffLayer(storeA: ImageStore, a: LayerRef | null, storeB: ImageStore, b: LayerRef | null, limits: ImageDiffLimits): Promise<LayerDiff | undefined> {
  const fields = a && b ? jsonChanges({ mediaType: a.mediaType }, { mediaType: b.mediaType }) : [];
  if (a && b && a.digest === b.digest) return fields.length === 0 ? undefined : { a, b, fields, files: [], onlyMtimes: false };
  if (a && b && a.diffId !== null && a.diffId === b.diffId) {
    return { a, b, fields, files: [], onlyMtimes: false, note: "the same files, compressed differently" };
  }
  const [ea, eb] = await Promise.all([a ? readLayerEntries(storeA, a.digest, limits) : EMPTY, b ? readLayerEntries(storeB, b.digest, limits) : EMPTY]);
  const files = diffEntries(ea, eb);
  const onlyMtimes = files.length > 0 && files.every((f) => f.change === "changed" && f.fields.length === 1 && f.fields[0] === "mtime");
  let note: string | undefined;
  if (files.length === 0) {
    note = ea.order.join("\0") !== eb.order.join("\0")
      ? "the same entries in another order"
      : "the same entries; the archives differ in what slipway diff does not compare (extended attributes, device numbers, owner names, padding)";
  }
  return { a, b, fields, files, onlyMtimes, ...(note !== undefined && { note }) };
}

/** The entries added, removed or changed from `a` to `b`, sorted by path. */
export function diffEntries(a: LayerEntries, b: LayerEntries): FileDiff[] {
  const paths = [...new Set([...a.entries.keys(), ...b.entries.keys()])].sort();
  const out: FileDiff[] = [];
  for (const path of paths) {
    const [ea, eb] = [a.entries.get(path), b.entries.get(path)];
    if (ea === undefined) out.push({ path, change: "added", fields: [], b: eb! });
    else if (eb === undefined) out.push({ path, change: "removed", fields: [], a: ea });
    else {
      const fields = entryFields(ea, eb);
      if (fields.length > 0) out.push({ path, change: "changed", fields, a: ea, b: eb });
    }
  }
  return out;
}

function entryFields(a: EntryState, b: EntryState): FileField[] {
  const fields: FileField[] = [];
  if (a.type !== b.type) fields.push("type");
  if (a.sha256 !== b.sha256 || a.size !== b.size) fields.push("content");
  if (a.mode !== b.mode) fields.push("mode");
  if (a.uid !== b.uid || a.gid !== b.gid) fields.push("owner");
  if (a.mtime !== b.mtime) fields.push("mtime");
  if (a.link !== b.link) fields.push("link");
  return fields;
}
