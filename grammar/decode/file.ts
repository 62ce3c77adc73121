import type { Block } from "../syntax/ast.js";
import type { FileEntry, FileSource, Located } from "../model/declaration.js";
import { errorAt, reasonOf, warningAt } from "../source/diagnostic.js";
import { cleanPath } from "../eval/path.js";
import { formatNumber } from "../eval/value.js";
import { normaliseDigest } from "./apt.js";
import { parseImageReference } from "./reference.js";
import { content, type BodySchema } from "./schema.js";
import { gitRefProblem, gitRepositoryProblem } from "./git.js";
import { imagePath } from "./paths.js";
import { checkCharacters } from "./text.js";
import { labelValue, stringAttr, typedValue, type DecodeContext } from "./values.js";
import { ANY } from "../eval/types.js";

const req = (name: string, example: string) => ({ name, required: true, example });

/** Each file source kind: its block type, labels and schema. Adding a kind is one entry here. */
export const SOURCES = {
  from_step: { labels: ["step"], schema: { attributes: [req("path", 'path = "/out/tool"')], blocks: [] } },
  from_tarball: { labels: ["tarball"], schema: { attributes: [req("path", 'path = "bin/tool"')], blocks: [] } },
  from_context: { labels: [], schema: { attributes: [req("path", 'path = "conf/app.conf"')], blocks: [] } },
  from_http: {
    labels: [],
    schema: { attributes: [req("url", 'url = "https://example.org/tool"'), req("sha256", 'sha256 = "<64 hex digits>"')], blocks: [] },
  },
  from_git: {
    labels: [],
    schema: {
      attributes: [req("repository", 'repository = "https://github.com/owner/repo"'), req("ref", 'ref = "v1.0.0"'), req("path", 'path = "LICENSE"')],
      blocks: [],
    },
  },
  from_image: { labels: [], schema: { attributes: [req("image", 'image = "debian:bookworm"'), req("path", 'path = "/usr/bin/tool"')], blocks: [] } },
} as const satisfies Record<string, { labels: readonly string[]; schema: BodySchema }>;

type SourceBlockType = keyof typeof SOURCES;
const SOURCE_TYPES = Object.keys(SOURCES) as SourceBlockType[];

export const FILE_SCHEMA: BodySchema = {
  attributes: [{ name: "mode" }, { name: "owner" }],
  blocks: SOURCE_TYPES.map((type) => ({ type, labels: SOURCES[type].labels })),
};

const OCTAL_MODE = /^0?[0-7]{3,4}$/;
const OWNER_PART = /^(?:\d+|[A-Za-z_][A-Za-z0-9_.-]*\$?)$/;

/** An image's `file "/destination" { from_… { … } mode owner }` block. */
export function decodeFile(ctx: DecodeContext, block: Block): FileEntry | undefined {
  const destination = decodeDestination(ctx, labelValue(ctx, block.labels[0]!));
  const description = `file "${destination?.value ?? "?"}"`;
  const c = content(block.body, FILE_SCHEMA, { description, defRange: block.defRange }, ctx.diagnostics);
  const mode = decodeMode(ctx, c.attributes.get("mode"));
  const owner = stringAttr(ctx, c.attributes.get("owner"));
  if (owner && checkCharacters(ctx.diagnostics, owner, "The owner", "name") && !validOwner(owner.value)) {
    ctx.diagnostics.push(
      errorAt(owner.range, "Invalid owner", `"${owner.value}" is not an owner.`, {
        hint: 'Write USER or USER:GROUP, each a name or a numeric id: "app", "app:app", "1000:1000".',
      }),
    );
  }

  if (c.blocks.length === 0) {
    ctx.diagnostics.push(
      errorAt(block.defRange, "Missing file source", `${description} does not say where its content comes from.`, {
        hint: `Add one of: ${SOURCE_TYPES.join(", ")}.`,
      }),
    );
    return undefined;
  }
  if (c.blocks.length > 1) {
    ctx.diagnostics.push(
      errorAt(c.blocks[1]!.defRange, "Conflicting file sources", `${description} has ${c.blocks.length} sources (${c.blocks.map((b) => b.type).join(", ")}); a file takes exactly one.`, {
        hint: "Keep one source, or declare another file for the other content.",
        context: block.defRange,
      }),
    );
    return undefined;
  }
  const source = decodeSource(ctx, c.blocks[0]!);
  if (!destination || !source) return undefined;
  return {
    destination,
    range: block.range,
    defRange: block.defRange,
    source,
    ...(mode ? { mode } : {}),
    ...(owner ? { owner } : {}),
  };
}

function decodeSource(ctx: DecodeContext, block: Block): FileSource | undefined {
  const type = block.type as SourceBlockType;
  const c = content(block.body, SOURCES[type].schema, { description: `the ${type} block`, defRange: block.defRange }, ctx.diagnostics);
  const attr = (name: string) => stringAttr(ctx, c.attributes.get(name));
  // Names and relative paths: their shape is checked later (checks.ts), their characters here.
  const named = (name: string, what: string) => {
    const v = attr(name);
    return v && checkCharacters(ctx.diagnostics, v, what, "name") ? v : undefined;
  };
  const range = block.range;
  switch (type) {
    case "from_step": {
      const step = labelName(ctx, block, "The step name");
      const given = attr("path");
      const path = given && imagePath(ctx, given, "from_step.path", { keepTrailingSlash: true });
      return step && path && { kind: "step", step, path, range };
    }
    case "from_tarball": {
      const tarball = labelName(ctx, block, "The tarball name");
      const path = named("path", "The member path");
      return tarball && path && { kind: "tarball", tarball: cleaned(tarball), path: cleaned(path), range };
    }
    case "from_context": {
      const path = named("path", "The build context path");
      return path && { kind: "context", path: cleaned(path), range };
    }
    case "from_http": {
      const url = httpUrl(ctx, attr("url"));
      const sha256 = attr("sha256");
      return url && sha256 && { kind: "http", url, sha256: normaliseDigest(sha256), range };
    }
    case "from_git": {
      const repository = gitValue(ctx, attr("repository"), gitRepositoryProblem, "Invalid git repository", 'Write an https://, ssh:// or git:// URL, or user@host:path, e.g. "https://github.com/owner/repo.git".');
      const ref = gitValue(ctx, attr("ref"), gitRefProblem, "Invalid git ref", 'Write a branch, tag or commit, e.g. "v1.0.0" or "main".');
      const path = named("path", "The path in the repository");
      return repository && ref && path && { kind: "git", repository, ref, path: cleaned(path), range };
    }
    case "from_image": {
      const image = attr("image");
      const given = attr("path");
      const path = given && imagePath(ctx, given, "from_image.path", { keepTrailingSlash: true });
      if (!image || !path) return undefined;
      const parsed = parseImageReference(image.value);
      if (parsed.value === undefined) {
        ctx.diagnostics.push(errorAt(image.range, "Invalid image reference", `${capitalize(reasonOf(parsed))}.`, { hint: 'Write NAME[:TAG][@sha256:DIGEST], e.g. "debian:bookworm".' }));
        return undefined;
      }
      return { kind: "image", image: { value: parsed.value, range: image.range }, path, range };
    }
  }
}

/**
 * The destination label, canonical (see `imagePath`). `/` itself is refused: a file cannot replace the
 * image's root directory.
 */
function decodeDestination(ctx: DecodeContext, label: Located<string> | undefined): Located<string> | undefined {
  const destination = label && imagePath(ctx, label, "The file destination", { keepTrailingSlash: true });
  if (destination?.value === "/") {
    ctx.diagnostics.push(
      errorAt(destination.range, "Root as a file destination", `"${label!.value}" is the image's root directory, which a file cannot replace.`, {
        hint: 'Give the path the file gets, e.g. "/usr/local/bin/tool", or a directory to copy into, e.g. "/opt/app/".',
      }),
    );
    return undefined;
  }
  return destination;
}

function labelName(ctx: DecodeContext, block: Block, what: string): Located<string> | undefined {
  const label = labelValue(ctx, block.labels[0]!);
  return label && checkCharacters(ctx.diagnostics, label, what, "name") ? label : undefined;
}

/**
 * `from_http.url`: http or https with a host, as BuildKit's http source takes it; the scheme is written in
 * lowercase (`HTTPS://x` is `https://x`), which is the form BuildKit matches.
 */
function httpUrl(ctx: DecodeContext, url: Located<string> | undefined): Located<string> | undefined {
  if (!url || !checkCharacters(ctx.diagnostics, url, "The URL", "name")) return undefined;
  const m = /^(https?):\/\/([^/?#\s]+)[^\s]*$/i.exec(url.value);
  if (!m) {
    ctx.diagnostics.push(errorAt(url.range, "Invalid URL", `${JSON.stringify(url.value)} is not an http:// or https:// URL with a host.`, { hint: 'Write e.g. "https://example.org/tool.tar.gz".' }));
    return undefined;
  }
  const value = m[1]!.toLowerCase() + url.value.slice(m[1]!.length);
  if (value.startsWith("http:")) {
    ctx.diagnostics.push(warningAt(url.range, "Plain HTTP download", `"${value}" is fetched over plain HTTP; the sha256 still protects its content.`, { hint: "Use https:// if the server offers it." }));
  }
  return { value, range: url.range };
}

function gitValue(ctx: DecodeContext, value: Located<string> | undefined, problemOf: (s: string) => string | undefined, summary: string, hint: string): Located<string> | undefined {
  if (!value) return undefined;
  const problem = problemOf(value.value);
  if (problem === undefined) return value;
  ctx.diagnostics.push(errorAt(value.range, summary, `${capitalize(problem)}.`, { hint }));
  return undefined;
}

/** Paths in the build context or in a tarball, cleaned (`./x` → `x`); the checks reject escapes. */
function cleaned(p: Located<string>): Located<string> {
  return { value: cleanPath(p.value), range: p.range };
}

/** `mode = "0755"` (octal text) or `mode = 493` (a number, necessarily decimal in HCL). */
function decodeMode(ctx: DecodeContext, attr: Parameters<typeof typedValue>[1]): Located<number> | undefined {
  const v = typedValue(ctx, attr, ANY);
  if (!v || !attr) return undefined;
  const range = attr.expr.range;
  if (v.kind === "string") {
    if (!OCTAL_MODE.test(v.value)) {
      ctx.diagnostics.push(errorAt(range, "Invalid mode", `"${v.value}" is not an octal file mode.`, { hint: 'Write three or four octal digits as a string, e.g. "0755" or "0644".' }));
      return undefined;
    }
    return { value: parseInt(v.value, 8), range };
  }
  if (v.kind === "number") {
    if (!Number.isInteger(v.value) || v.value < 0 || v.value > 0o7777) {
      ctx.diagnostics.push(errorAt(range, "Invalid mode", `${formatNumber(v.value)} is not a file mode (0 to 4095, i.e. octal 0 to 7777).`, { hint: 'Write the mode as an octal string, e.g. "0755".' }));
      return undefined;
    }
    const digits = formatNumber(v.value);
    if (v.value > 0o777 && /^[0-7]{3,4}$/.test(digits)) {
      ctx.diagnostics.push(
        warningAt(range, "Decimal file mode", `The mode ${digits} is a decimal number (octal ${v.value.toString(8)}), which sets unusual permission bits.`, {
          hint: `Did you mean "0${digits.replace(/^0/, "")}"? Write octal modes as strings.`,
        }),
      );
    }
    return { value: v.value, range };
  }
  ctx.diagnostics.push(errorAt(range, "Invalid mode", `A file mode is an octal string or a number, not a ${v.kind}.`, { hint: 'Write e.g. "0755".' }));
  return undefined;
}

/** `USER[:GROUP]`, each a name or a numeric id BuildKit takes as an id (llb/file-owner.ts: up to 2^31-1). */
function validOwner(owner: string): boolean {
  const parts = owner.split(":");
  return parts.length <= 2 && parts.every((p) => OWNER_PART.test(p) && !(/^\d+$/.test(p) && Number(p) > 0x7fffffff));
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
