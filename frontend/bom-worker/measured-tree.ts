import { createReadStream, type Stats } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ImageFiles } from "../debian/dpkg.js";

/** Symlink hops before giving up, as Linux does (ELOOP after 40). */
const MAX_SYMLINKS = 40;

/**
 * A root filesystem mounted at `root` (the built image, the base image, the build context), read the way
 * BuildKit's gateway reads a ref: every symlink, absolute or relative, is resolved inside the root, so an
 * image's `/etc/os-release -> ../usr/lib/os-release` is read from the image, never from the worker's own
 * filesystem, and `..` never climbs above the root.
 */
export class MountedTree {
  constructor(readonly root: string) {}

  /** The host path of `path` with every symlink on the way resolved inside the root; undefined when missing. */
  async resolve(path: string): Promise<string | undefined> {
    const pending = components(path);
    const resolved: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const name = pending.shift()!;
      if (name === "..") {
        resolved.pop();
        continue;
      }
      const host = join(this.root, ...resolved, name);
      const stat = await lstatOrUndefined(host);
      if (!stat) return undefined;
      if (stat.isSymbolicLink()) {
        if (++hops > MAX_SYMLINKS) throw new TreeError(`${path}: more than ${MAX_SYMLINKS} symbolic links`);
        const target = await readlink(host);
        if (target.startsWith("/")) resolved.length = 0;
        pending.unshift(...components(target));
        continue;
      }
      if (pending.length > 0 && !stat.isDirectory()) return undefined;
      resolved.push(name);
    }
    return join(this.root, ...resolved);
  }

  /** The file's status after resolving symlinks (as the gateway's StatFile), or undefined. */
  async stat(path: string): Promise<{ host: string; stat: Stats } | undefined> {
    const host = await this.resolve(path);
    if (host === undefined) return undefined;
    const stat = await lstatOrUndefined(host);
    return stat && { host, stat };
  }

  /** The bytes of a regular file, or undefined when there is none at `path`. */
  async readFile(path: string): Promise<Uint8Array | undefined> {
    const found = await this.stat(path);
    if (!found || !found.stat.isFile()) return undefined;
    return readFile(found.host);
  }

  /** Entry names of a directory, sorted, or undefined when `path` is not one. */
  async readDir(path: string): Promise<string[] | undefined> {
    const found = await this.stat(path);
    if (!found || !found.stat.isDirectory()) return undefined;
    return (await readdir(found.host)).sort(compareNames);
  }

  /** This tree as the Debian readers' `ImageFiles`. */
  asImageFiles(): ImageFiles {
    return { readFile: (p) => this.readFile(p), readDir: (p) => this.readDir(p) };
  }
}

export class TreeError extends Error {
  override name = "TreeError";
}

/** sha256 and sha1 of a file, streamed (step outputs and tarballs can be large). */
export async function hashFile(host: string): Promise<{ sha256: string; sha1: string; size: number }> {
  const sha256 = createHash("sha256");
  const sha1 = createHash("sha1");
  let size = 0;
  for await (const chunk of createReadStream(host)) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: sha256.digest("hex"), sha1: sha1.digest("hex"), size };
}

/** Byte order of the UTF-8 names, as the gateway's ReadDir lists them. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

async function lstatOrUndefined(host: string): Promise<Stats | undefined> {
  try {
    return await lstat(host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}
