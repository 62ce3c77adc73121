import { posix } from "node:path";
import { readTarStream, TarFormatError, type TarEntry } from "../oci/index.js";
import type { ImageFiles } from "../debian/index.js";
import { ImageFilesError } from "./errors.js";

/** One layer of an image: its uncompressed tar as a stream, read when needed (it may be asked for twice). */
export interface Layer {
  /** Names the layer in errors, e.g. `IMAGE layer DIGEST`. */
  readonly description: string;
  tar(): AsyncIterable<Uint8Array>;
}

export interface LayerFilesOptions {
  /**
   * Which files' bytes are kept in memory while the layers are read. A file outside them is read again
   * from its layer when asked for, so this only decides what is fast, never what is found.
   */
  readonly keep: (path: string) => boolean;
}

/** What `slipway lock` reads of a base image: apt's sources and keys, dpkg's status, the OS release. */
export const DEFAULT_KEPT_PATHS: readonly string[] = Object.freeze(["/etc/", "/usr/share/keyrings/", "/var/lib/dpkg/status", "/usr/lib/os-release"]);

const defaultOptions: Readonly<LayerFilesOptions> = Object.freeze({
  keep: (path: string) => DEFAULT_KEPT_PATHS.some((p) => (p.endsWith("/") ? path.startsWith(p) : path === p)),
});

interface Node {
  readonly type: TarEntry["type"];
  readonly linkName: string;
  /** Which layer holds this version of the path. */
  readonly layer: number;
  /** Kept bytes of a regular file. */
  readonly data?: Uint8Array;
}

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";
const MAX_LINKS = 40;

/**
 * The root filesystem that `layers` (bottom first) make, as `ImageFiles`: each layer's whiteouts
 * (`.wh.NAME` removes NAME, `.wh..wh..opq` empties its directory) apply to the layers below it, a file
 * replacing a directory hides what was under it, and symbolic links are followed inside the image (an
 * absolute target starts at the image's root, never the host's).
 */
export async function layerFiles(layers: readonly Layer[], options: Partial<LayerFilesOptions> = {}): Promise<ImageFiles> {
  const { keep } = { ...defaultOptions, ...options };
  const tree = new Map<string, Node>([["/", { type: "directory", linkName: "", layer: -1 }]]);
  for (const [index, layer] of layers.entries()) {
    const entries = await entriesOf(layer, (name) => keep(`/${name}`));
    for (const e of entries) {
      const { dir, base } = split(`/${e.name}`);
      if (base === OPAQUE) removeBelow(tree, dir);
      else if (base.startsWith(WHITEOUT)) removeTree(tree, posix.join(dir, base.slice(WHITEOUT.length)));
    }
    for (const e of entries) {
      const path = posix.normalize(`/${e.name}`);
      const { dir, base } = split(path);
      if (base.startsWith(WHITEOUT) || path === "/") continue;
      const before = tree.get(path);
      if (before?.type === "directory" && e.type !== "directory") removeBelow(tree, path);
      addParents(tree, dir, index);
      tree.set(path, { type: e.type, linkName: e.linkName, layer: index, ...(e.data && { data: e.data }) });
    }
  }

  const children = new Map<string, Set<string>>();
  for (const path of tree.keys()) {
    if (path === "/") continue;
    const { dir, base } = split(path);
    let names = children.get(dir);
    if (!names) children.set(dir, (names = new Set()));
    names.add(base);
  }

  /** The path with every symbolic link in it followed; undefined when it leads nowhere. */
  const resolvePath = (path: string, links = 0): string | undefined => {
    const parts = posix.normalize(`/${path}`).split("/").filter((p) => p !== "");
    let at = "/";
    for (const [i, part] of parts.entries()) {
      const next = posix.join(at, part);
      const node = tree.get(next);
      if (!node) return undefined;
      if (node.type === "symlink") {
        if (links >= MAX_LINKS) return undefined;
        const target = node.linkName.startsWith("/") ? node.linkName : posix.join(at, node.linkName);
        return resolvePath(posix.join(target, ...parts.slice(i + 1)), links + 1);
      }
      at = next;
    }
    return at;
  };

  const contentOf = async (path: string, node: Node, links = 0): Promise<Uint8Array | undefined> => {
    if (node.type === "hardlink") {
      const target = tree.get(posix.normalize(`/${node.linkName}`));
      return target && links < MAX_LINKS ? contentOf(`/${node.linkName}`, target, links + 1) : undefined;
    }
    if (node.type !== "file") return undefined;
    if (node.data) return node.data;
    // Not kept while reading: read its layer again.
    const wanted = path.slice(1);
    const entries = await entriesOf(layers[node.layer]!, (name) => name === wanted);
    return entries.findLast((e) => e.name === wanted && e.type === "file")?.data;
  };

  return {
    async readFile(path) {
      const real = resolvePath(path);
      const node = real === undefined ? undefined : tree.get(real);
      return node && real !== undefined ? contentOf(real, node) : undefined;
    },
    async readDir(path) {
      const real = resolvePath(path);
      if (real === undefined || tree.get(real)?.type !== "directory") return undefined;
      return [...(children.get(real) ?? [])].sort();
    },
  };
}

/** A layer's entries, with the bytes of the files `wantData` names. */
async function entriesOf(layer: Layer, wantData: (name: string) => boolean): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  try {
    for await (const e of readTarStream(layer.tar(), wantData)) entries.push(e);
    return entries;
  } catch (e) {
    if (e instanceof TarFormatError) throw new ImageFilesError(layer.description, `is not a readable tar archive (${e.message})`);
    throw e;
  }
}

function split(path: string): { dir: string; base: string } {
  return { dir: posix.dirname(path), base: posix.basename(path) };
}

/** Removes everything under `dir`, keeping `dir` itself. */
function removeBelow(tree: Map<string, Node>, dir: string): void {
  const prefix = dir === "/" ? "/" : `${dir}/`;
  for (const path of [...tree.keys()]) if (path !== "/" && path.startsWith(prefix)) tree.delete(path);
}

function removeTree(tree: Map<string, Node>, path: string): void {
  tree.delete(path);
  removeBelow(tree, path);
}

/** Layers may omit a file's parent directories; the file still has them. */
function addParents(tree: Map<string, Node>, dir: string, layer: number): void {
  for (let d = dir; d !== "/" && !tree.has(d); d = posix.dirname(d)) tree.set(d, { type: "directory", linkName: "", layer });
}
