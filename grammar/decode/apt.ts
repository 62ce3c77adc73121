import type { Block } from "../syntax/ast.js";
import type { Apt, AptKey, Located, Package, Repository, Vcs } from "../model/declaration.js";
import { errorAt, warningAt } from "../source/diagnostic.js";
import { STRING } from "../eval/types.js";
import { componentProblem, componentsProblem, parseRepositoryLine, repositoryUriProblem, suiteProblem } from "./repository.js";
import { content, type BodySchema } from "./schema.js";
import { boolAttr, labelValue, locatedItems, stringAttr, stringListAttr, type DecodeContext } from "./values.js";

export const APT_SCHEMA: BodySchema = {
  attributes: [{ name: "repositories" }, { name: "replace_sources" }, { name: "install_recommends" }],
  blocks: [
    { type: "package", labels: ["name"] },
    { type: "key", labels: ["name"] },
    { type: "repository", labels: ["name"] },
  ],
};

export const PACKAGE_SCHEMA: BodySchema = {
  attributes: [{ name: "version" }],
  blocks: [{ type: "vcs", labels: ["type"], unique: true }],
};

export const KEY_SCHEMA: BodySchema = {
  attributes: [{ name: "uri", required: true, example: 'uri = "https://example.org/key.asc"' }, { name: "sha256" }],
  blocks: [],
};

export const REPOSITORY_SCHEMA: BodySchema = {
  attributes: [
    { name: "uri", required: true, example: 'uri = "http://archive.example.org/debian/"' },
    { name: "suite" },
    { name: "components" },
    { name: "architectures" },
    { name: "key" },
    { name: "types" },
  ],
  blocks: [],
};

export const VCS_SCHEMA: BodySchema = {
  attributes: [
    { name: "repository", required: true, example: 'repository = "https://github.com/owner/repo"' },
    { name: "ref", required: true, example: 'ref = "v1.0.0"' },
  ],
  blocks: [],
};

// Debian policy §5.6.1 (package names) and §5.6.12 (versions: [epoch:]upstream[-revision]).
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
const VERSION = /^(?:\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;
const SUPPORTED_VCS = ["git"];

/** One `apt { … }` block of an image. */
export function decodeApt(ctx: DecodeContext, block: Block): Apt {
  const c = content(block.body, APT_SCHEMA, { description: "the apt block", defRange: block.defRange }, ctx.diagnostics);
  const repositories: Repository[] = [];
  const lines = locatedItems(ctx, c.attributes.get("repositories"), STRING) ?? [];
  lines.forEach((line, i) => {
    const text = (line.value as { value: string }).value;
    const parsed = parseRepositoryLine(text, line.range, { hint: 'Write "deb URI SUITE COMPONENT…", e.g. "deb http://archive.example.org/debian bookworm main".' });
    ctx.diagnostics.push(...parsed.diagnostics);
    if (parsed.value === undefined) return;
    repositories.push({ name: `repositories[${i}]`, form: "line", ...parsed.value, range: line.range });
  });
  const packages: Package[] = [];
  const keys: AptKey[] = [];
  for (const b of c.blocks) {
    if (b.type === "package") {
      const p = decodePackage(ctx, b);
      if (p) packages.push(p);
    } else if (b.type === "key") {
      const k = decodeKey(ctx, b);
      if (k) keys.push(k);
    } else {
      const r = decodeRepositoryBlock(ctx, b);
      if (r) repositories.push(r);
    }
  }
  const installRecommends = boolAttr(ctx, c.attributes.get("install_recommends"));
  const replaceSources = boolAttr(ctx, c.attributes.get("replace_sources"));
  if (replaceSources?.value === true && repositories.length === 0) {
    ctx.diagnostics.push(
      errorAt(replaceSources.range, "Nothing replaces the base image's sources", "replace_sources = true reads only the repositories this apt block declares, and it declares none.", {
        hint: "Declare the repositories to read instead (repositories = [\"deb …\"] or repository \"name\" { … }), or remove replace_sources.",
      }),
    );
  }
  return {
    range: block.range,
    repositories,
    keys,
    packages,
    ...(installRecommends ? { installRecommends } : {}),
    ...(replaceSources ? { replaceSources } : {}),
  };
}

function decodePackage(ctx: DecodeContext, block: Block): Package | undefined {
  const name = labelValue(ctx, block.labels[0]!);
  const c = content(block.body, PACKAGE_SCHEMA, { description: `package "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
  const version = stringAttr(ctx, c.attributes.get("version"));
  const vcsBlock = c.blocks[0];
  const vcs = vcsBlock && decodeVcs(ctx, vcsBlock);
  if (!name) return undefined;
  // apt accepts `name:arch` (multi-arch) as well as a bare name.
  const [base, arch] = name.value.split(":");
  if (!PACKAGE_NAME.test(base!) || (arch !== undefined && !/^[a-z0-9-]+$/.test(arch))) {
    ctx.diagnostics.push(
      errorAt(name.range, "Invalid package name", `"${name.value}" is not a Debian package name.`, {
        hint: "Package names are lowercase letters, digits, +, - and ., at least two characters (optionally :ARCH).",
      }),
    );
  }
  if (version && !VERSION.test(version.value)) {
    ctx.diagnostics.push(
      errorAt(version.range, "Invalid package version", `"${version.value}" is not a Debian version.`, {
        hint: 'Write the exact version apt shows, e.g. "1.6-2.1" or "1:2.39.2-1".',
      }),
    );
  }
  return { name, range: block.range, ...(version ? { version } : {}), ...(vcs ? { vcs } : {}) };
}

function decodeKey(ctx: DecodeContext, block: Block): AptKey | undefined {
  const name = labelValue(ctx, block.labels[0]!);
  const c = content(block.body, KEY_SCHEMA, { description: `key "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
  const uri = stringAttr(ctx, c.attributes.get("uri"));
  const sha256 = stringAttr(ctx, c.attributes.get("sha256"));
  if (!name || !uri) return undefined;
  if (!sha256) {
    ctx.diagnostics.push(
      warningAt(block.defRange, "Unverified key", `The key "${name.value}" has no sha256, so it is fetched without checking that it is the expected file.`, {
        hint: "Add sha256 = \"…\" with the key file's digest.",
      }),
    );
  }
  return { name, uri, range: block.range, ...(sha256 ? { sha256: normaliseDigest(sha256) } : {}) };
}

/** `sha256:ABC…` and `ABC…` both mean the hex digest; the checks then insist on 64 hex digits. */
export function normaliseDigest(d: Located<string>): Located<string> {
  const lower = d.value.toLowerCase();
  return { value: lower.startsWith("sha256:") ? lower.slice("sha256:".length) : lower, range: d.range };
}

function decodeRepositoryBlock(ctx: DecodeContext, block: Block): Repository | undefined {
  const name = labelValue(ctx, block.labels[0]!);
  const c = content(block.body, REPOSITORY_SCHEMA, { description: `repository "${name?.value ?? "?"}"`, defRange: block.defRange }, ctx.diagnostics);
  const uri = stringAttr(ctx, c.attributes.get("uri"));
  const suite = stringAttr(ctx, c.attributes.get("suite"));
  const components = stringListAttr(ctx, c.attributes.get("components"));
  const architectures = stringListAttr(ctx, c.attributes.get("architectures"));
  const key = stringAttr(ctx, c.attributes.get("key"));
  const types = stringListAttr(ctx, c.attributes.get("types"));
  if (!name || !uri) return undefined;
  const common = { name: name.value, form: "block" as const, range: block.range, ...(key ? { key } : {}) };

  // estaleiro's older form: `uri` holds a whole sources line.
  if (/^deb(-src)?\s/.test(uri.value)) {
    for (const extra of ["suite", "components", "types", "architectures"]) {
      const a = c.attributes.get(extra);
      if (a) ctx.diagnostics.push(errorAt(a.nameRange, "Conflicting repository settings", `"uri" already holds a whole sources line, so "${extra}" cannot be set too.`, { hint: "Either keep the line in uri, or give uri, suite and components separately." }));
    }
    const parsed = parseRepositoryLine(uri.value, uri.range);
    ctx.diagnostics.push(...parsed.diagnostics);
    if (parsed.value === undefined) return undefined;
    return { ...common, ...parsed.value };
  }

  const uriProblem = repositoryUriProblem(uri.value);
  if (uriProblem) ctx.diagnostics.push(errorAt(uri.range, "Invalid repository URI", `${capitalize(uriProblem)}.`));
  if (!suite) {
    if (!c.attributes.has("suite")) {
      ctx.diagnostics.push(errorAt(block.defRange, "Missing required argument", `The argument "suite" is required in repository "${name.value}".`, { hint: 'Add suite = "bookworm" (or the suite the repository publishes).' }));
    }
    return undefined;
  }
  const badSuite = suiteProblem(suite.value);
  if (badSuite) ctx.diagnostics.push(errorAt(suite.range, "Invalid repository suite", `${capitalize(badSuite)}.`));
  const problem = (components?.value ?? []).map(componentProblem).find((p) => p !== undefined) ?? componentsProblem(suite.value, components?.value ?? []);
  if (problem) ctx.diagnostics.push(errorAt(components?.range ?? suite.range, "Invalid repository components", `${capitalize(problem)}.`));
  const kinds = types?.value ?? ["deb", "deb-src"];
  const badType = kinds.find((t) => t !== "deb" && t !== "deb-src");
  if (badType !== undefined || kinds.length === 0) {
    ctx.diagnostics.push(errorAt(types!.range, "Invalid repository types", `Repository types are "deb" and "deb-src"${badType !== undefined ? `, not "${badType}"` : "; at least one is needed"}.`));
  }
  return {
    ...common,
    types: [...new Set(kinds)] as ("deb" | "deb-src")[],
    uri,
    suite,
    components: components?.value ?? [],
    architectures: architectures?.value ?? [],
  };
}

/** A `vcs "git" { repository, ref }` block. */
export function decodeVcs(ctx: DecodeContext, block: Block): Vcs | undefined {
  const type = labelValue(ctx, block.labels[0]!);
  const c = content(block.body, VCS_SCHEMA, { description: `the vcs block`, defRange: block.defRange }, ctx.diagnostics);
  const repository = stringAttr(ctx, c.attributes.get("repository"));
  const ref = stringAttr(ctx, c.attributes.get("ref"));
  if (type && !SUPPORTED_VCS.includes(type.value)) {
    ctx.diagnostics.push(
      errorAt(type.range, "Unsupported version control system", `"${type.value}" is not supported; the only version control system is "git".`, { hint: 'Write vcs "git" { … }.' }),
    );
    return undefined;
  }
  if (ref && ref.value !== ref.value.trim()) {
    ctx.diagnostics.push(
      warningAt(ref.range, "Ref with surrounding spaces", `The ref "${ref.value}" starts or ends with whitespace, which a git ref cannot contain.`, { hint: `Did you mean "${ref.value.trim()}"?` }),
    );
  }
  if (!type || !repository || !ref) return undefined;
  return { type, repository, ref, range: block.range };
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
