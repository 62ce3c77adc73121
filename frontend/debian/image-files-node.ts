import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { posix } from "node:path";
import type { ImageFiles } from "./io.js";

/**
 * `ImageFiles` over an unpacked root filesystem on disk (for the CLI, e.g. `docker export` of the base
 * image unpacked into a directory). Symbolic links are followed inside `root`, absolute ones relative to
 * it, as they would be inside the image, so a link never reads the host's own files.
 */
export function imageFilesFromDirectory(root: string): ImageFiles {
  const resolve = async (path: string, depth = 0): Promise<string | undefined> => {
    if (depth > 40) return undefined;
    const parts = posix.normalize(`/${path}`).split("/").filter((p) => p !== "");
    let inside = "/";
    for (let i = 0; i < parts.length; i++) {
      const next = posix.join(inside, parts[i]!);
      let stat;
      try {
        stat = await lstat(posix.join(root, next));
      } catch {
        return undefined;
      }
      if (stat.isSymbolicLink()) {
        const target = await readlink(posix.join(root, next));
        const rest = parts.slice(i + 1).join("/");
        const joined = target.startsWith("/") ? target : posix.join(inside, target);
        return resolve(rest ? `${joined}/${rest}` : joined, depth + 1);
      }
      inside = next;
    }
    return posix.join(root, inside);
  };
  return {
    async readFile(path) {
      const real = await resolve(path);
      if (!real) return undefined;
      try {
        return new Uint8Array(await readFile(real));
      } catch {
        return undefined;
      }
    },
    async readDir(path) {
      const real = await resolve(path);
      if (!real) return undefined;
      try {
        return (await readdir(real)).sort();
      } catch {
        return undefined;
      }
    },
  };
}
