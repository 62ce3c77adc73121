import { forEachParagraph } from "./deb822.js";

/**
 * apt's source lists: the one-line format (`/etc/apt/sources.list`, `*.list`) and the deb822 format
 * (`*.sources`), as read from a base image. Both become `SourceEntry` values; problems are reported with
 * the file and line rather than thrown, so one odd line does not hide the others.
 */
export interface SourceEntry {
  readonly types: readonly ("deb" | "deb-src")[];
  readonly uri: string;
  /** A suite or codename (`bookworm`), or a path ending in `/` for a flat repository. */
  readonly suite: string;
  readonly components: readonly string[];
  /** From `arch=` / `Architectures:`; empty means the target's. */
  readonly architectures: readonly string[];
  /** Keys that alone may sign this repository; absent means apt's global trusted keys. */
  readonly signedBy?: SignedBy;
  /** `trusted=yes`: apt would skip verification. slipway refuses it (see repository.ts). */
  readonly trusted?: boolean;
  readonly file: string;
  readonly line: number;
}

export type SignedBy =
  | { readonly kind: "paths"; readonly paths: readonly string[] }
  | { readonly kind: "fingerprints"; readonly fingerprints: readonly string[] }
  | { readonly kind: "inline"; readonly armored: string };

export interface SourcesProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ParsedSources {
  readonly entries: SourceEntry[];
  readonly problems: SourcesProblem[];
}

/** Parses the one-line format: `deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] URI suite comp…`. */
export function parseOneLineSources(text: string, file: string): ParsedSources {
  const entries: SourceEntry[] = [];
  const problems: SourcesProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/#.*$/, "").trim();
    if (content === "") return;
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(content);
    if (!m) {
      problems.push({ file, line, message: `cannot read source line "${content}"; expected "deb [options] URI suite [component…]"` });
      return;
    }
    const [, type, optionText, uri, suite, rest] = m;
    const options = parseOptions(optionText ?? "");
    const components = rest!.split(/\s+/).filter((c) => c !== "");
    if (!suite!.endsWith("/") && components.length === 0) {
      problems.push({ file, line, message: `source line for ${uri} ${suite} names no component` });
      return;
    }
    const signedBy = options.get("signed-by");
    entries.push({
      types: [type as "deb" | "deb-src"],
      uri: uri!,
      suite: suite!,
      components,
      architectures: splitList(options.get("arch")),
      ...(signedBy ? { signedBy: signedByFrom(signedBy.split(",")) } : {}),
      ...(options.get("trusted") === "yes" ? { trusted: true } : {}),
      file,
      line,
    });
  });
  return { entries, problems };
}

function parseOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  return out;
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(/[\s,]+/).filter((v) => v !== "") : [];
}

function signedByFrom(values: readonly string[]): SignedBy {
  const list = values.map((v) => v.trim()).filter((v) => v !== "");
  if (list.every((v) => v.startsWith("/"))) return { kind: "paths", paths: list };
  return { kind: "fingerprints", fingerprints: list.map((f) => f.replace(/!$/, "").toLowerCase()) };
}

/** Parses the deb822 format (`/etc/apt/sources.list.d/debian.sources`). */
export function parseDeb822Sources(text: string, file: string): ParsedSources {
  const entries: SourceEntry[] = [];
  const problems: SourcesProblem[] = [];
  const paragraphs: { p: Record<string, string>; line: number }[] = [];
  forEachParagraph(text, (p, line) => paragraphs.push({ p, line }));
  for (const { p, line } of paragraphs) {
    if ((p["enabled"] ?? "yes").toLowerCase() === "no") continue;
    const types = splitList(p["types"]);
    const uris = splitList(p["uris"]);
    const suites = splitList(p["suites"]);
    const components = splitList(p["components"]);
    const badTypes = types.filter((t) => t !== "deb" && t !== "deb-src");
    if (types.length === 0 || uris.length === 0 || suites.length === 0 || badTypes.length > 0) {
      problems.push({ file, line, message: "a source stanza needs Types (deb, deb-src), URIs and Suites" });
      continue;
    }
    let signedBy: SignedBy | undefined;
    const sb = p["signed-by"];
    if (sb) {
      signedBy = sb.includes("BEGIN PGP PUBLIC KEY BLOCK")
        ? { kind: "inline", armored: sb.split("\n").map((l) => (l.trim() === "." ? "" : l.trim())).join("\n") }
        : signedByFrom(sb.split(/\s+/));
    }
    for (const uri of uris) {
      for (const suite of suites) {
        if (!suite.endsWith("/") && components.length === 0) {
          problems.push({ file, line, message: `source stanza for ${uri} ${suite} names no component` });
          continue;
        }
        entries.push({
          types: types as ("deb" | "deb-src")[],
          uri,
          suite,
          components,
          architectures: splitList(p["architectures"]),
          ...(signedBy ? { signedBy } : {}),
          ...((p["trusted"] ?? "").toLowerCase() === "yes" ? { trusted: true } : {}),
          file,
          line,
        });
      }
    }
  }
  return { entries, problems };
}
