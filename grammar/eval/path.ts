/**
 * Lexical path cleaning with Go's `path.Clean` rules (slash-separated, no file system access): repeated
 * slashes collapse, `.` elements go, `..` removes the element before it, a rooted path stays rooted and
 * `..` cannot climb above the root. An empty result is ".".
 */
export function cleanPath(path: string): string {
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const element of path.split("/")) {
    if (element === "" || element === ".") continue;
    if (element === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(element);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** True for a cleaned relative path that climbs out of its base (`..` or `../x`). */
export function escapesBase(cleaned: string): boolean {
  return cleaned === ".." || cleaned.startsWith("../");
}

/** True for `/x`, and for Windows forms (`C:\x`, `\\host\x`) that someone may paste by mistake. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(path);
}
