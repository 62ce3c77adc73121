import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BomReadError } from "./errors.js";
import { verifyDigest, type ImageStore } from "./oci.js";
import type { TarArchive } from "./tar.js";

/**
 * An OCI image layout (`index.json` + `blobs/sha256/…`), as `--output type=oci` writes it and as
 * `docker save` writes it since Docker 25, read from a directory or from a tarball.
 */
export function layoutStore(description: string, read: (path: string) => Promise<Uint8Array | undefined>): ImageStore {
  const blob = async (digest: string) => {
    const [algorithm, hex] = digest.split(":");
    const bytes = algorithm && hex && /^[a-z0-9]+$/.test(algorithm) && /^[0-9a-f]+$/.test(hex) ? await read(`blobs/${algorithm}/${hex}`) : undefined;
    if (bytes === undefined) throw new BomReadError(description, `blob ${digest} is missing from the layout`);
    return verifyDigest(description, digest, bytes);
  };
  return {
    description,
    async root() {
      const bytes = await read("index.json");
      if (bytes === undefined) throw new BomReadError(description, "has no index.json, so it is not an OCI layout");
      return { json: parseJson(description, "index.json", bytes) };
    },
    async manifest(digest) {
      return parseJson(description, digest, await blob(digest));
    },
    blob,
  };
}

export function directoryReader(root: string): (path: string) => Promise<Uint8Array | undefined> {
  return async (path) => {
    try {
      return await readFile(join(root, path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  };
}

export function tarReader(tar: TarArchive): (path: string) => Promise<Uint8Array | undefined> {
  return (path) => tar.read(path);
}

export function parseJson(description: string, what: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new BomReadError(description, `${what} is not JSON`);
  }
}
