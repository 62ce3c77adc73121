// Loading a corpus case: NAME.hcl with its optional NAME.options.json ({ vars, files }), where `files` is
// the build context that file() reads.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadDeclaration, SourceFile, type LoadResult } from "../../grammar/index.js";

export interface CaseOptions {
  readonly vars?: Record<string, string>;
  readonly files?: Record<string, string>;
}

export function caseNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".hcl"))
    .map((f) => f.slice(0, -".hcl".length))
    .sort();
}

export function loadCase(dir: string, name: string): { file: SourceFile; result: LoadResult } {
  const optionsPath = join(dir, `${name}.options.json`);
  const options: CaseOptions = existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, "utf8")) : {};
  const file = new SourceFile(`${name}.hcl`, readFileSync(join(dir, `${name}.hcl`), "utf8"));
  const files = options.files ?? {};
  const result = loadDeclaration(file, {
    vars: new Map(Object.entries(options.vars ?? {})),
    readFile: (path) => (Object.hasOwn(files, path) ? { kind: "text", text: files[path]! } : { kind: "missing" }),
  });
  return { file, result };
}

export function readJson<T>(dir: string, fileName: string): T | undefined {
  const path = join(dir, fileName);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
}
