import type { Located } from "../model/declaration.js";
import { errorAt } from "../source/diagnostic.js";
import { cleanPath } from "../eval/path.js";
import { checkCharacters } from "./text.js";
import type { DecodeContext } from "./values.js";

export interface ImagePathOptions {
  /**
   * A trailing `/` (or `/.`) is kept, since for a copy it means "into this directory" (what BuildKit's
   * copy does with `/opt/tools/`): the canonical form of `/opt//tools/./` is `/opt/tools/`.
   */
  readonly keepTrailingSlash?: boolean;
}

/**
 * An absolute path in an image (a file destination, `workdir`, a volume, `bom.path`, a path in a step's
 * result or another image) in its one canonical form: Go's `path.Clean`, so that `/etc//a`, `/etc/./a` and
 * `/etc/b/../a` are all `/etc/a` and duplicates are found as such, and what reaches the model and the
 * LLB is that form. A `..` that would climb above the root, and control characters, are errors here (at
 * the value); undefined then. A relative path is returned as written: the checks report it, in words that
 * name the attribute.
 */
export function imagePath(ctx: DecodeContext, path: Located<string>, what: string, options: ImagePathOptions = {}): Located<string> | undefined {
  if (!checkCharacters(ctx.diagnostics, path, what, "name")) return undefined;
  if (!path.value.startsWith("/")) return path;
  if (climbsAboveRoot(path.value)) {
    ctx.diagnostics.push(
      errorAt(path.range, "Path escapes the root", `${what} climbs above the image's root with "..".`, {
        hint: `Write the path without "..": "${cleanPath(path.value)}"${/\/\.?$/.test(path.value) && options.keepTrailingSlash ? " (with its trailing /)" : ""}.`,
      }),
    );
    return undefined;
  }
  let value = cleanPath(path.value);
  if (options.keepTrailingSlash && value !== "/" && /\/\.?$/.test(path.value)) value += "/";
  return { value, range: path.range };
}

/** True when a rooted path has more `..` elements, at some point, than names before them. */
function climbsAboveRoot(path: string): boolean {
  let depth = 0;
  for (const element of path.split("/")) {
    if (element === "" || element === ".") continue;
    if (element === "..") {
      if (depth === 0) return true;
      depth--;
    } else depth++;
  }
  return false;
}
