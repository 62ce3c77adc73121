import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layout as a checked fact: every import of every hand-written `.ts` under grammar/, llb/ and frontend/
 * is read (with TypeScript's own import scanner, dynamic `import()` included) and checked against the
 * tables below; module and function sizes and file names are checked too. Test files (`*.test.ts`) are
 * exempt: a test may open a module's internals. Generated files (the protoc-gen-ts output under
 * llb/proto/ and frontend/gateway/proto/) are exempt: protoc resolves proto imports by path, and the
 * gateway's messages must embed the very `pb.Definition` class llb marshals.
 *
 * Results are one convention in grammar/ and frontend/: a value plus diagnostics (`Result<T>`, see
 * grammar/source/diagnostic.ts), so no `{ ok: true, … } | { ok: false, … }` union and no
 * `Value | Diagnostic` told apart with `"severity" in`.
 *
 * A folder's public surface is its `index.ts`, plus the few second surfaces in SURFACES, each kept for a
 * bundle that must not load the whole folder. For this test a "folder" is grammar/, llb/, each folder
 * directly under frontend/ (its subfolders belong to it), and frontend/'s own top-level files, which
 * together are the pipeline (build, image-build, load, …) and are one folder without an index.
 */

const ROOT = join(import.meta.dirname, "..");
const LAYER_ROOTS = ["grammar", "llb", "frontend"] as const;

/**
 * What each top-level layer may import, besides itself and npm packages. grammar/ and llb/ are pure
 * libraries that must run anywhere (a web playground, another frontend): neither imports the other,
 * nor frontend/, nor Node. frontend/ is where I/O lives and builds on both.
 */
const TOP_LAYERS: Readonly<Record<(typeof LAYER_ROOTS)[number], readonly string[]>> = {
  grammar: [],
  llb: [],
  frontend: ["grammar", "llb"],
};

/** The layers whose code must not import Node's built-in modules (`node:fs`, or `fs` without the scheme). */
const NO_NODE = new Set(["grammar", "llb"]);

/**
 * frontend/'s folders by rank: a folder may import its own rank or a lower one, never a higher one, so
 * data flows one way. Same-rank imports are allowed (bom-worker reads bom's model; image-files reads
 * debian's `ImageFiles`) but cycles still show up as two allow-listed edges if they appear.
 */
/** frontend/'s own files that import nothing and name a fact every layer may state (the version). */
const LEAF_MODULES: ReadonlySet<string> = new Set(["frontend/slipway-version.ts"]);

const FRONTEND_RANKS: readonly (readonly string[])[] = [
  // Plumbing that knows nothing of a build: reading images, BuildKit's protocol, Debian's formats,
  // accounts (users and groups) as data.
  ["oci", "gateway", "debian", "accounts", "(leaf)"],
  // Readers and pure transformations built on the plumbing: the BOM documents, an image's files,
  // comparing images, resolved plan → LLB.
  ["bom", "image-files", "image-diff", "compile"],
  // The resolver (declaration + a source of facts → resolved plan; no I/O of its own) and the measuring
  // worker, which runs inside a build.
  ["resolve", "bom-worker"],
  // The pipeline's stages that talk to BuildKit: loading the declaration, the gateway session and its
  // facts, measuring and writing the BOM, the subrequests (--call).
  ["load", "solve", "bom-stage"],
  // The pipeline's top-level modules (frontend/*.ts): the gateway build, the lock and vendor targets, and
  // the subrequests (--call), which answer from the same loaded declaration and build arguments.
  ["(top)", "subrequests"],
  // Entry points: the CLI drives everything below.
  ["cli"],
];

/**
 * A folder's second surfaces: modules other folders may import as they would its index.ts, each for a
 * bundle that must not load the whole folder (and so named with the bundle and what it keeps out). An
 * entry no other folder imports fails the test, so the table names only surfaces in use.
 */
const SURFACES: Readonly<Record<string, string>> = {
  // The BOM worker's bundle (bom-worker-app.cjs, run by every measuring exec) takes the readers it runs
  // and nothing else: no resolver, no OpenPGP, no documents' writers, no LLB.
  "frontend/debian/dpkg.ts": "dpkg's database and Debian's version and relation rules, for the BOM worker",
  "frontend/bom/copyright.ts": "a package's copyright file read for its licences, for the BOM worker",
  "frontend/compile/types.ts": "the plan's types and keys (the worker's request names them), without the compiler",
  "frontend/accounts/files.ts": "the account files' format, for the BOM worker, without their LLB",
  // The CLI's single-file bundle must not load the gateway client (gRPC), nor OpenPGP, which cannot start
  // inside it (createRequire of an undefined import.meta.url) and would cost every command its start-up;
  // it loads the package tools on first use (cli/resolving.ts, cli/vendor-option.ts).
  "frontend/load/reads.ts": "evaluating a declaration with the files it reads, without the gateway client",
  "frontend/debian/lock-schema.ts": "the lock file's name and schema, without the resolver",
  "frontend/debian/mirrors.ts": "the mirror option, without the resolver",
  "frontend/debian/vendor.ts": "the vendored packages' image, without the resolver",
};

/**
 * Imports that break the rules today: each entry is `importer → imported` (paths from the repository
 * root), and an entry that no longer matches an import fails the test, so the list only shrinks.
 */
const KNOWN_VIOLATIONS: ReadonlySet<string> = new Set<string>([]);

/**
 * Functions over 80 lines and modules over 400 lines without a `// long because: …` comment: none. An
 * entry here must say why it is kept; an entry that no longer matches fails the test.
 */
const KNOWN_LONG: ReadonlySet<string> = new Set<string>([]);

/** File names that appear more than once under frontend/ for different jobs: none (see SHARED_NAMES). */
const KNOWN_NAME_CLASHES: ReadonlySet<string> = new Set<string>([]);

/**
 * Names every folder may have, each for the same job in its folder: its public surface, its typed errors,
 * its shared types, its bounds, and a bundle's entry point. cli/commands/NAME.ts is named for the command
 * it implements (`slipway lock`), so it may share a name with the stage it drives.
 */
const SHARED_NAMES = new Set(["index.ts", "errors.ts", "types.ts", "limits.ts", "main.ts"]);

const MAX_MODULE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
/**
 * The convention for a module or function that is long on purpose: a line comment starting `long because:`
 * right above the function (above its `export`, or the `const` an arrow function is assigned to), or, for a
 * module, anywhere above its first statement that is not an import.
 */
const LONG_MARKER = /\/\/\s*long because:/;

interface SourceModule {
  /** From the repository root, with `/`. */
  readonly path: string;
  readonly text: string;
}

function modules(): SourceModule[] {
  const out: SourceModule[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) {
        const text = readFileSync(join(ROOT, path), "utf8");
        if (!isGenerated(text)) out.push({ path, text });
      }
    }
  };
  for (const root of LAYER_ROOTS) walk(root);
  return out;
}

function isGenerated(text: string): boolean {
  return /^\/\*\*?\s*\n?\s*\*?\s*Generated by the protoc-gen-ts/.test(text);
}

/** `grammar`, `llb`, `frontend/<folder>`, or `frontend/(top)` for frontend's own files. */
function folderOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] !== "frontend") return parts[0]!;
  if (LEAF_MODULES.has(path)) return "frontend/(leaf)";
  return parts.length > 2 ? `frontend/${parts[1]}` : "frontend/(top)";
}

function rankOf(folder: string): number {
  const name = folder.slice("frontend/".length);
  const rank = FRONTEND_RANKS.findIndex((r) => r.includes(name));
  if (rank < 0) throw new Error(`frontend/${name} has no rank: add it to FRONTEND_RANKS in test/layers.test.ts`);
  return rank;
}

/** Every problem with one module's imports, each `importer → imported: why`. */
function importProblems(module: SourceModule): string[] {
  const problems: string[] = [];
  const from = folderOf(module.path);
  const top = module.path.split("/")[0] as (typeof LAYER_ROOTS)[number];
  for (const { fileName: spec } of ts.preProcessFile(module.text, true, true).importedFiles) {
    if (!spec.startsWith(".")) {
      const isNode = spec.startsWith("node:") || NODE_BUILTINS.has(spec.split("/")[0]!);
      if (isNode && NO_NODE.has(top)) problems.push(`${module.path} → ${spec}: ${top}/ must run anywhere, so it imports nothing of Node`);
      continue;
    }
    const target = normalize(join(dirname(module.path), spec)).replace(/\.js$/, ".ts");
    const edge = `${module.path} → ${target}`;
    if (target.startsWith("..")) {
      problems.push(`${edge}: outside grammar/, llb/ and frontend/`);
      continue;
    }
    const to = folderOf(target);
    const toTop = target.split("/")[0]!;
    if (to === from) continue;
    if (toTop !== top && !TOP_LAYERS[top].includes(toTop)) {
      problems.push(`${edge}: ${top}/ may not import ${toTop}/ (layers: ${JSON.stringify(TOP_LAYERS)})`);
      continue;
    }
    if (top === "frontend" && toTop === "frontend" && rankOf(to) > rankOf(from)) {
      problems.push(`${edge}: imports upward (${to} ranks above ${from} in FRONTEND_RANKS)`);
    }
    if (to !== "frontend/(top)" && to !== "frontend/(leaf)" && relative(to, target) !== "index.ts" && !(target in SURFACES)) {
      problems.push(`${edge}: reaches past ${to}/index.ts (and it is none of the SURFACES)`);
    }
  }
  return problems;
}

const NODE_BUILTINS = new Set(["fs", "path", "os", "crypto", "zlib", "stream", "child_process", "util", "url", "net", "http", "https", "buffer", "events", "worker_threads"]);

/** Long functions and modules without a `// long because:` marker, each `path name (N lines)`. */
function sizeProblems(module: SourceModule): string[] {
  const problems: string[] = [];
  const lines = module.text.split("\n");
  const lineCount = lines.length - (module.text.endsWith("\n") ? 1 : 0);
  const source = ts.createSourceFile(module.path, module.text, ts.ScriptTarget.Latest, true);
  const firstStatement = source.statements.find((s) => !ts.isImportDeclaration(s));
  const header = firstStatement ? module.text.slice(0, firstStatement.getStart(source)) : module.text;
  if (lineCount > MAX_MODULE_LINES && !LONG_MARKER.test(header)) problems.push(`${module.path} (module, ${lineCount} lines)`);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      if (end - start + 1 > MAX_FUNCTION_LINES && !markedLong(source, node)) {
        problems.push(`${module.path} ${functionName(node)} (${end - start + 1} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/** Whether the comments right above the function (or the statement that holds it) carry the marker. */
function markedLong(source: ts.SourceFile, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    const comments = ts.getLeadingCommentRanges(source.text, n.getFullStart()) ?? [];
    if (comments.some((c) => LONG_MARKER.test(source.text.slice(c.pos, c.end)))) return true;
    // Only up to the statement or class member that holds the function.
    if (ts.isStatement(n) || ts.isClassElement(n) || ts.isPropertyAssignment(n)) break;
  }
  return false;
}

function functionName(node: ts.SignatureDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) return parent.name.getText();
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "(anonymous)";
}

/** The layers whose results must be `Result<T>`. */
const ONE_RESULT = new Set(["grammar", "frontend"]);

/**
 * Every other result convention in one module, each `path:line what`: an object or type with an `ok`
 * that is `true` or `false` (an {ok} union), and `"severity" in x` (a value or a Diagnostic told apart).
 * Read from the syntax tree, so a message that quotes them is no problem.
 */
function resultProblems(module: SourceModule): string[] {
  if (!ONE_RESULT.has(module.path.split("/")[0]!)) return [];
  const problems: string[] = [];
  const source = ts.createSourceFile(module.path, module.text, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node) => `${module.path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const isBool = (node: ts.Node | undefined) => node !== undefined && (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText(source) === "ok" && isBool(node.initializer)) {
      problems.push(`${at(node)} ${node.getText(source)}: an {ok} union; return a Result<T>`);
    } else if (ts.isPropertySignature(node) && node.name.getText(source) === "ok" && node.type && ts.isLiteralTypeNode(node.type) && isBool(node.type.literal)) {
      problems.push(`${at(node)} ${node.getText(source)}: an {ok} union type; use Result<T>`);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && ts.isStringLiteralLike(node.left) && node.left.text === "severity") {
      problems.push(`${at(node)} ${node.getText(source)}: a value or a Diagnostic told apart; return a Result<T>`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/** File names used twice under frontend/ for different jobs. */
function nameClashes(paths: readonly string[]): string[] {
  const byName = new Map<string, string[]>();
  for (const path of paths) {
    if (!path.startsWith("frontend/") || path.startsWith("frontend/cli/commands/")) continue;
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (SHARED_NAMES.has(name)) continue;
    byName.set(name, [...(byName.get(name) ?? []), path]);
  }
  return [...byName].filter(([, ps]) => ps.length > 1).map(([name, ps]) => `${name}: ${ps.join(", ")}`);
}

describe("layers", () => {
  const all = modules();

  it("finds the modules it checks", () => {
    // A walk that found nothing would pass every rule.
    expect(all.length).toBeGreaterThan(200);
    expect(all.some((m) => m.path === "frontend/oci/index.ts")).toBe(true);
    expect(all.some((m) => m.path.includes("/proto/"))).toBe(false);
  });

  it("every second surface exists and is imported from another folder", () => {
    const imported = new Set(
      all.flatMap((m) =>
        ts
          .preProcessFile(m.text, true, true)
          .importedFiles.filter(({ fileName }) => fileName.startsWith("."))
          .map(({ fileName }) => normalize(join(dirname(m.path), fileName)).replace(/\.js$/, ".ts"))
          .filter((target) => folderOf(target) !== folderOf(m.path)),
      ),
    );
    const unused = Object.keys(SURFACES).filter((s) => !all.some((m) => m.path === s) || !imported.has(s));
    expect(unused, "SURFACES entries that are missing or that no other folder imports: remove them").toEqual([]);
  });

  it("every import goes through a folder's index.ts or a second surface, to a layer below or beside, and grammar/ and llb/ import no Node", () => {
    const problems = all.flatMap(importProblems);
    const unexpected = problems.filter((p) => !KNOWN_VIOLATIONS.has(p.slice(0, p.indexOf(":"))));
    const stale = [...KNOWN_VIOLATIONS].filter((v) => !problems.some((p) => p.startsWith(`${v}:`)));
    if (process.env.LAYERS_PRINT) console.log(["UNEXPECTED", ...unexpected, "STALE", ...stale].join("\n"));
    expect(unexpected, "imports that break the layering (see the tables in test/layers.test.ts)").toEqual([]);
    expect(stale, "KNOWN_VIOLATIONS entries that no longer occur: remove them").toEqual([]);
  });

  it(`no module over ${MAX_MODULE_LINES} lines and no function over ${MAX_FUNCTION_LINES} without a "// long because:" comment`, () => {
    const problems = all.flatMap(sizeProblems);
    const key = (p: string) => p.replace(/ \(.*\)$/, "");
    expect(problems.filter((p) => !KNOWN_LONG.has(key(p)))).toEqual([]);
    expect([...KNOWN_LONG].filter((k) => !problems.some((p) => key(p) === k)), "KNOWN_LONG entries that no longer occur: remove them").toEqual([]);
  });

  it("no file name appears twice under frontend/ for different jobs", () => {
    const clashes = nameClashes(all.map((m) => m.path));
    const name = (c: string) => c.slice(0, c.indexOf(":"));
    expect(clashes.filter((c) => !KNOWN_NAME_CLASHES.has(name(c)))).toEqual([]);
    expect([...KNOWN_NAME_CLASHES].filter((n) => !clashes.some((c) => name(c) === n)), "KNOWN_NAME_CLASHES entries that no longer occur: remove them").toEqual([]);
  });

  it('results are Result<T> in grammar/ and frontend/: no {ok} union and no "severity" in', () => {
    expect(all.flatMap(resultProblems)).toEqual([]);
  });

  it("the checks catch what they are for", () => {
    // A bypass, an upward import, Node in llb/, llb/ reaching into the grammar, and a long function.
    const bypass = importProblems({ path: "frontend/bom/x.ts", text: 'import { t } from "../oci/tar.js";\n' });
    expect(bypass).toEqual(["frontend/bom/x.ts → frontend/oci/tar.ts: reaches past frontend/oci/index.ts (and it is none of the SURFACES)"]);
    // a second surface is reached as an index is, and still only downward
    expect(importProblems({ path: "frontend/bom-worker/x.ts", text: 'import { p } from "../debian/dpkg.js";\n' })).toEqual([]);
    expect(importProblems({ path: "frontend/oci/x.ts", text: 'import { r } from "../load/reads.js";\n' })[0]).toMatch(/imports upward/);
    expect(importProblems({ path: "frontend/oci/x.ts", text: 'import { b } from "../bom/index.js";\n' })[0]).toMatch(/imports upward/);
    expect(importProblems({ path: "llb/x.ts", text: 'import { readFileSync } from "node:fs";\n' })[0]).toMatch(/imports nothing of Node/);
    expect(importProblems({ path: "llb/x.ts", text: 'const g = await import("../grammar/index.js");\n' })[0]).toMatch(/llb\/ may not import grammar\//);
    expect(importProblems({ path: "frontend/x.ts", text: 'import type { D } from "../grammar/source/diagnostic.js";\n' })[0]).toMatch(/reaches past grammar\/index\.ts/);
    const body = Array.from({ length: 81 }, (_, i) => `  const v${i} = ${i};`).join("\n");
    expect(sizeProblems({ path: "frontend/x.ts", text: `export function f() {\n${body}\n}\n` })).toEqual(["frontend/x.ts f (83 lines)"]);
    expect(sizeProblems({ path: "frontend/x.ts", text: `// long because: a table, one line a case\nexport function f() {\n${body}\n}\n` })).toEqual([]);
    expect(nameClashes(["frontend/a/x.ts", "frontend/b/x.ts", "frontend/a/index.ts", "frontend/b/index.ts"])).toEqual(["x.ts: frontend/a/x.ts, frontend/b/x.ts"]);
    // An {ok} union, as a type and as a value, and a "severity" in test; llb/ and messages that quote them are left alone.
    const union = "export type R = { readonly ok: true; readonly v: number } | { ok: false; message: string };\nexport const f = (d: object) => (\"severity\" in d ? { ok: false, message: \"x\" } : { ok: true, v: 1 });\n";
    expect(resultProblems({ path: "frontend/x.ts", text: union }).map((p) => p.replace(/:(\d+) .*: /, ":$1 "))).toEqual([
      "frontend/x.ts:1 an {ok} union type; use Result<T>",
      "frontend/x.ts:1 an {ok} union type; use Result<T>",
      "frontend/x.ts:2 a value or a Diagnostic told apart; return a Result<T>",
      "frontend/x.ts:2 an {ok} union; return a Result<T>",
      "frontend/x.ts:2 an {ok} union; return a Result<T>",
    ]);
    expect(resultProblems({ path: "grammar/x.ts", text: "export const r = { ok: true };\n" })).toEqual(["grammar/x.ts:1 ok: true: an {ok} union; return a Result<T>"]);
    expect(resultProblems({ path: "llb/x.ts", text: union })).toEqual([]);
    expect(resultProblems({ path: "frontend/x.ts", text: 'const m = "write { ok: true } or \\"severity\\" in";\nconst r = response.ok;\n' })).toEqual([]);
  });
});
