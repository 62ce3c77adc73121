import { failure, reasonOf, type Result } from "../../grammar/index.js";
import type { ImageFiles } from "./io.js";
import { readKeyring, type TrustedKey } from "./keyring.js";
import { parseDeb822Sources, parseOneLineSources, type SourceEntry, type SourcesProblem } from "./sources-list.js";

/**
 * What a base image tells about its packages: its apt sources, the keys apt trusts, and the packages
 * dpkg has installed. All read through `ImageFiles`, i.e. from the solved image, never from the host.
 */

const decoder = new TextDecoder();

/** The image's apt sources: `/etc/apt/sources.list` and `/etc/apt/sources.list.d/*.list|*.sources`, in apt's order. */
export async function readImageSources(files: ImageFiles): Promise<{ entries: SourceEntry[]; problems: SourcesProblem[] }> {
  const entries: SourceEntry[] = [];
  const problems: SourcesProblem[] = [];
  const main = await files.readFile("/etc/apt/sources.list");
  if (main) {
    const r = parseOneLineSources(decoder.decode(main), "/etc/apt/sources.list");
    entries.push(...r.entries);
    problems.push(...r.problems);
  }
  const dir = "/etc/apt/sources.list.d";
  for (const name of ((await files.readDir(dir)) ?? []).sort()) {
    const isList = name.endsWith(".list");
    if (!isList && !name.endsWith(".sources")) continue;
    const path = `${dir}/${name}`;
    const bytes = await files.readFile(path);
    if (!bytes) continue;
    const r = isList ? parseOneLineSources(decoder.decode(bytes), path) : parseDeb822Sources(decoder.decode(bytes), path);
    entries.push(...r.entries);
    problems.push(...r.problems);
  }
  return { entries, problems };
}

/** apt's global trusted keys: `/etc/apt/trusted.gpg` and `/etc/apt/trusted.gpg.d/*.gpg|*.asc`. */
export async function readImageTrustedKeys(files: ImageFiles): Promise<{ keys: TrustedKey[]; problems: string[] }> {
  const paths = ["/etc/apt/trusted.gpg"];
  const dir = "/etc/apt/trusted.gpg.d";
  for (const name of ((await files.readDir(dir)) ?? []).sort()) {
    if (name.endsWith(".gpg") || name.endsWith(".asc")) paths.push(`${dir}/${name}`);
  }
  const keys: TrustedKey[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    const r = await readImageKeyring(files, path);
    if (r.value !== undefined) keys.push(...r.value);
    else if (path !== paths[0]) problems.push(reasonOf(r));
  }
  return { keys, problems };
}

/** Reads one keyring file from the image: its keys, or undefined with an error whose reason (see `failure`) says why not. */
export async function readImageKeyring(files: ImageFiles, path: string): Promise<Result<TrustedKey[] | undefined>> {
  const bytes = await files.readFile(path);
  if (!bytes) return failure("Missing repository keyring", `the keyring ${path} does not exist in the base image`);
  try {
    return { value: await readKeyring(bytes, path), diagnostics: [] };
  } catch (e) {
    return failure("Missing repository keyring", e instanceof Error ? e.message : String(e));
  }
}

export { readImagePackages } from "./status.js";
