/**
 * Compiles a Go `path.Match` pattern (what estaleiro's `source_file` labels are) into a RegExp matching
 * whole paths: `*` is any run of characters except `/`, `?` one such character, `[…]` a class (`[^…]`
 * negated, ranges allowed), `\` escapes the next character. Undefined for a malformed pattern.
 */
export function compileGlob(pattern: string): RegExp | undefined {
  let source = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return undefined;
      source += escape(pattern[++i]!);
    } else if (c === "[") {
      const end = classEnd(pattern, i + 1);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith("^");
      if (negated) body = body.slice(1);
      if (body === "") return undefined;
      source += `[${negated ? "^/" : ""}${classBody(body)}]`;
      i = end;
    } else source += escape(c);
  }
  try {
    return new RegExp(`${source}$`, "u");
  } catch {
    return undefined;
  }
}

function classEnd(pattern: string, from: number): number {
  for (let i = from; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]" && i > from) return i;
  }
  return -1;
}

/** A class body in RegExp syntax: `\x` escapes x, `-` between characters is a range. */
function classBody(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\") {
      const next = body[++i] ?? "\\";
      out += next === "-" ? "\\-" : escape(next);
    } else if (c === "-") out += "-";
    else out += /[\]\\^[]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
