/**
 * POSIX path helpers with Go's `path` semantics (BuildKit cleans and joins paths with them, and the paths
 * inside an op are part of its digest). llb/ cannot use node:path.
 */

/** Go's `path.Clean`: the shortest equivalent path, "." for an empty one. */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const kept: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
      else if (!rooted) kept.push("..");
      continue;
    }
    kept.push(part);
  }
  const joined = (rooted ? "/" : "") + kept.join("/");
  return joined === "" ? "." : joined;
}

/** Go's `path.Join`: empty elements are ignored, the result is cleaned, "" when every element is empty. */
export function joinPath(...elements: readonly string[]): string {
  const nonEmpty = elements.filter((element) => element !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/");
}

/**
 * An absolute, cleaned path: `path` itself when absolute, else joined to `dir`. With `keepTrailingSlash`, a
 * trailing "/" or "/." survives, because for a copy destination it means "into this directory".
 * (client/llb `normalizePath`.)
 */
export function resolvePath(dir: string, path: string, keepTrailingSlash: boolean): string {
  let resolved = cleanPath(path);
  if (!isAbsolutePath(resolved)) resolved = joinPath("/", dir, resolved);
  if (keepTrailingSlash) {
    if (path.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
    else if (path.endsWith("/.")) resolved = (resolved === "/" ? "/" : resolved + "/") + ".";
  }
  return resolved;
}
