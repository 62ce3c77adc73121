import { join } from "node:path";
import { ImageReadError } from "./errors.js";
import { DEFAULT_READ_LIMITS, formatBytes, readRegularFile, type RegularFileOptions } from "./limits.js";
import { verifyDigest } from "./digest.js";
import type { ImageStore } from "./store.js";
import { TarFormatError, type TarArchive } from "./tar.js";

/**
 * An OCI image layout (`index.json` + `blobs/sha256/…`), as `--output type=oci` writes it and as
 * `docker save` writes it since Docker 25, read from a directory or from a tarball.
 */
export function layoutStore(description: string, read: (path: string) => Promise<Uint8Array | undefined>): ImageStore {
  const blob = async (digest: string) => {
    if (typeof digest !== "string") throw new ImageReadError(description, `a descriptor's digest is ${JSON.stringify(digest)}, not a string`);
    const [algorithm, hex] = digest.split(":");
    const bytes = algorithm && hex && /^[a-z0-9]+$/.test(algorithm) && /^[0-9a-f]+$/.test(hex) ? await read(`blobs/${algorithm}/${hex}`) : undefined;
    if (bytes === undefined) throw new ImageReadError(description, `blob ${digest} is missing from the layout`);
    return verifyDigest(description, digest, bytes);
  };
  return {
    description,
    async root() {
      const bytes = await read("index.json");
      if (bytes === undefined) throw new ImageReadError(description, "has no index.json, so it is not an OCI layout");
      return { json: parseJson(description, "index.json", bytes) };
    },
    async manifest(digest) {
      return parseJson(description, digest, await blob(digest));
    },
    blob,
  };
}

/**
 * Files of a directory: regular files only (a FIFO or a link to a device is refused rather than read), at
 * most `limit` bytes each. `slipway bom` reads only documents this way (index.json, manifests, configs,
 * attestations, BOM files; layers are named by digest and never opened); `slipway diff` reads a
 * layout's layers too, with a blob's limit, and refuses symbolic links.
 */
export function directoryReader(
  root: string,
  description: string = root,
  limit: number = DEFAULT_READ_LIMITS.jsonBytes,
  options: Partial<RegularFileOptions> = {},
): (path: string) => Promise<Uint8Array | undefined> {
  return (path) => readRegularFile(description, join(root, path), path, limit, options);
}

export function tarReader(tar: TarArchive, description: string): (path: string) => Promise<Uint8Array | undefined> {
  return async (path) => {
    try {
      return await tar.read(path);
    } catch (e) {
      if (e instanceof TarFormatError) throw new ImageReadError(description, e.message);
      throw e;
    }
  };
}

export function parseJson(description: string, what: string, bytes: Uint8Array, limit: number = DEFAULT_READ_LIMITS.jsonBytes): unknown {
  if (bytes.length > limit) throw new ImageReadError(description, `${what} is ${formatBytes(bytes.length)}, more than the ${formatBytes(limit)} slipway reads of one document`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImageReadError(description, `${what} is not JSON`);
  }
}
