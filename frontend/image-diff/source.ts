import { createWriteStream, rmSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  boundedGunzip,
  DEFAULT_READ_LIMITS,
  directoryReader,
  formatBytes,
  isImageReadError,
  layoutStore,
  openTar,
  parseImageRef,
  pathKind,
  registryStore,
  tarKind,
  tarReader,
  TarFormatError,
  type ImageStore,
} from "../oci/index.js";
import { ImageDiffError } from "./errors.js";
import type { ImageDiffLimits } from "./limits.js";

/** An image input opened for reading; `close` releases the archive it may hold open. */
export interface ImageSource {
  readonly store: ImageStore;
  /** What kind of input it was: `OCI layout`, `OCI archive`, `registry`. */
  readonly kind: "OCI layout" | "OCI archive" | "registry";
  close(): Promise<void>;
}

export interface ImageSourceOptions {
  /** Where relative paths start. */
  readonly cwd: string;
  readonly fetch: typeof globalThis.fetch;
  readonly limits: ImageDiffLimits;
}

const CREDENTIALS_ADVICE = "slipway diff reads registries anonymously, so export the image (`--output type=oci,dest=image.tar`) and compare that file";

/**
 * Opens `input`, which is one of: an OCI layout directory (`--output type=oci,tar=false`), an OCI layout
 * archive (`--output type=oci`, `docker save` since Docker 25), or an image reference in a registry. An
 * existing path is always read as a file; a name that looks like a path is never sent to a registry.
 */
export async function openImageSource(input: string, options: ImageSourceOptions): Promise<ImageSource> {
  const path = resolve(options.cwd, input);
  const kind = await pathKind(path);
  switch (kind) {
    case "directory": {
      // A layout holds regular files only: a symbolic link is refused, never followed, and a layer may be
      // as large as a blob.
      const read = directoryReader(path, input, options.limits.blobBytes, { followLinks: false, noun: "blob" });
      let index;
      try {
        index = await read("index.json");
      } catch (e) {
        if (isImageReadError(e)) throw new ImageDiffError(e.source, e.message.slice(e.source.length + 2));
        throw e;
      }
      if (index === undefined) throw new ImageDiffError(input, "is a directory but not an OCI layout (it has no index.json)");
      return { store: layoutStore(input, read), kind: "OCI layout", close: async () => {} };
    }
    case "file":
      try {
        return await openArchive(input, path, options.limits);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (typeof code === "string" && code.startsWith("E")) throw new ImageDiffError(input, `cannot be read (${code === "EACCES" ? "permission denied" : code})`);
        throw e;
      }
    case "other":
      throw new ImageDiffError(input, "is not a regular file or a directory");
    case "missing":
      if (looksLikePath(input) || parseImageRef(input) === undefined) {
        throw new ImageDiffError(input, "no such file or directory, and not an image reference (write REGISTRY/NAME:TAG or REGISTRY/NAME@sha256:…)");
      }
      return { store: registryStore(input, { fetch: options.fetch, credentialsAdvice: CREDENTIALS_ADVICE }), kind: "registry", close: async () => {} };
  }
}

async function openArchive(input: string, path: string, limits: ImageDiffLimits): Promise<ImageSource> {
  const kind = await tarKind(path);
  if (kind === undefined) throw new ImageDiffError(input, "is neither a tar archive nor a directory, so not an OCI layout");
  // A compressed archive cannot be read at random, and a diff reads layers, not only documents: it is
  // decompressed once into a private file, which close() removes.
  const unpacked = kind === "gzip" ? await gunzipToTemp(input, path, limits) : undefined;
  let tar;
  try {
    // the BOM's reader takes only documents from an archive; a diff reads its layers too, so a member may be
    // as large as a layout's blob file (documents are still bounded where they are parsed)
    tar = await openTar(unpacked?.path ?? path, { ...DEFAULT_READ_LIMITS, jsonBytes: limits.blobBytes });
  } catch (e) {
    await unpacked?.remove();
    if (e instanceof TarFormatError) throw new ImageDiffError(input, `is not a readable tar archive (${e.message})`);
    throw e;
  }
  const close = async () => {
    await tar.close();
    await unpacked?.remove();
  };
  if (!tar.names.includes("index.json")) {
    await close();
    throw new ImageDiffError(
      input,
      tar.names.includes("manifest.json")
        ? "is a `docker save` archive without an OCI index.json (Docker before 25); export the image with --output type=oci instead"
        : "is a tar archive but not an OCI layout (it has no index.json)",
    );
  }
  return { store: layoutStore(input, tarReader(tar, input)), kind: "OCI archive", close };
}

/**
 * `path` decompressed into a new private directory, stopped (and removed) once it expands past
 * `limits.gzipArchiveBytes` or `gzipArchiveRatio` times its compressed size (`boundedGunzip`).
 */
async function gunzipToTemp(input: string, path: string, limits: ImageDiffLimits): Promise<{ path: string; remove(): Promise<void> }> {
  // named after the process, so that whoever looks for leftovers can tell whose they are
  const dir = await mkdtemp(join(tmpdir(), `slipway-diff-${process.pid}-`)).catch((e: unknown) => {
    throw cannotUnpack(input, e);
  });
  // also when the process ends first (an interrupt: the CLI exits through process.exit on SIGINT/SIGTERM)
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", onExit);
  const remove = async () => {
    process.off("exit", onExit);
    await rm(dir, { recursive: true, force: true });
  };
  const target = join(dir, "image.tar");
  const { size } = await stat(path);
  const unpacked = boundedGunzip(
    path,
    size,
    { bytes: limits.gzipArchiveBytes, ratio: limits.gzipArchiveRatio },
    (budget) => new ImageDiffError(input, `decompresses to more than ${formatBytes(budget)} (from ${formatBytes(size)}), the most slipway diff unpacks of a compressed archive; decompress it yourself if it is genuine`),
  );
  try {
    await pipeline(unpacked, createWriteStream(target, { mode: 0o600 }));
  } catch (e) {
    await remove();
    if (e instanceof ImageDiffError) throw e;
    const { code, path: where } = e as NodeJS.ErrnoException;
    if (typeof code === "string" && code.startsWith("Z_")) throw new ImageDiffError(input, `is not valid gzip (${(e as Error).message})`);
    // a write's error names no path, but only writing runs out of room
    if (where === target || (code !== undefined && WRITE_ERRORS.has(code))) throw cannotUnpack(input, e);
    throw e;
  }
  return { path: target, remove };
}

const WRITE_ERRORS: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT", "EROFS", "EFBIG"]);

/** The temporary directory refused the copy (no room, no such directory, no permission). */
function cannotUnpack(input: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== "string" || !code.startsWith("E")) return e as Error;
  return new ImageDiffError(
    input,
    `is compressed, and slipway diff could not unpack it into ${tmpdir()} (${code}); set TMPDIR to a directory with room for the uncompressed archive, or decompress it yourself`,
  );
}

/** A name no one would give a registry image: a path, or an archive's file name. */
function looksLikePath(input: string): boolean {
  return /^(\.{0,2}\/|~)/.test(input) || /\.(tar|tgz|tar\.gz|json)$/.test(input);
}
