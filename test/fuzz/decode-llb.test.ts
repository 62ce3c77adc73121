import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, type Diagnostic } from "../../grammar/index.js";
import { parsePlatform } from "../../llb/index.js";
import { compileWithoutBuildKit } from "../../frontend/cli/commands/llb.js";
import { buildImageConfig, type OciImageConfig } from "../../frontend/compile/index.js";
import { hostileDeclaration } from "./declaration-arbitrary.js";
import { mutated } from "./hcl-arbitrary.js";
import { Watchdog } from "./watchdog.js";

/**
 * Whatever `check` accepts, `slipway llb` compiles: hostile declarations (test/fuzz/declaration-
 * arbitrary.ts) and byte-level mutations of the corpus go through decoding and, when that succeeds,
 * through `compileWithoutBuildKit`, the code `slipway llb` runs (offline, without a lock: packages are
 * then left out, as llb reports). Nothing may throw; every diagnostic is located; no input may take over
 * a second or grow the heap by more than 200 MB. FUZZ_RUNS scales the number of inputs (CI sets it).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
// About 15 ms an input on a busy 2-core machine; the watchdog per input is what matters, not this.
const TIMEOUT_MS = Math.max(120_000, RUNS * 60);
const LIMIT_MS = 1000;
const HEAP_LIMIT = 200 * 1024 * 1024;
const readFile = (path: string) => (path.includes("missing") ? { kind: "missing" as const } : { kind: "text" as const, text: `contents of ${path}` });

// One watchdog per layer, failing at the first offender so that fast-check shrinks it; the heap bound is
// one input's growth (the compiler's caches from earlier inputs are not that input's fault).
const dogOptions = { slowMs: LIMIT_MS, heap: "per-input", heapBytes: HEAP_LIMIT, failFast: true } as const;
const counts = {
  decode: new Watchdog("decode", dogOptions),
  "image config": new Watchdog("image config", dogOptions),
  llb: new Watchdog("llb", dogOptions),
};

function unlocated(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.subject === undefined);
}

async function check(input: string): Promise<void> {
  const file = new SourceFile("fuzz.hcl", input);
  const loaded = (await counts.decode.runAsync(input, () => loadDeclaration(file, { vars: new Map(), readFile })))!;
  expect(unlocated(loaded.diagnostics), input).toEqual([]);
  const declaration = loaded.value;
  if (!declaration) return;
  for (const image of declaration.images) {
    const platform = parsePlatform(image.platforms?.value[0] ?? "linux/amd64");
    const config = (await counts["image config"].runAsync(input, () => JSON.stringify(buildImageConfig(undefined, image, platform, new Map(), [], 0))))!;
    expect(configProblem(JSON.parse(config)), `${config}\n${input}`).toBeUndefined();
    const compiled = (await counts.llb.runAsync(input, () => compileWithoutBuildKit(declaration, image, platform, undefined)))!;
    expect(unlocated(compiled.diagnostics), input).toEqual([]);
    if (compiled.diagnostics.length === 0) expect(compiled.definition, input).toBeDefined();
    compiled.definition?.toBytes();
  }
}

/**
 * What in an image config nothing can read: a null or "undefined" in Env, Cmd, Entrypoint or the
 * healthcheck test, a NUL anywhere, a timing or count that is not a whole number Go's int64 holds.
 */
function configProblem(image: OciImageConfig): string | undefined {
  const c = image.config;
  const lists = [c.Env, c.Cmd, c.Entrypoint, c.Healthcheck?.Test, Object.keys(c.Labels ?? {}), Object.values(c.Labels ?? {}), Object.keys(c.Volumes ?? {})];
  for (const list of lists) {
    for (const item of list ?? []) {
      if (typeof item !== "string") return `a ${typeof item} in a string list`;
      if (item.includes("\u0000") || /=undefined$|^undefined$/.test(item)) return `${JSON.stringify(item)} in the config`;
    }
  }
  for (const n of [c.Healthcheck?.Interval, c.Healthcheck?.Timeout, c.Healthcheck?.StartPeriod, c.Healthcheck?.StartInterval, c.Healthcheck?.Retries]) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n < 2 ** 63)) return `the number ${n} in the healthcheck`;
  }
  return undefined;
}

const corpusDirs = ["grammar/valid", "grammar/invalid", "grammar/syntax/corpus"].map((d) => join(import.meta.dirname, "..", d));
const seeds = corpusDirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".hcl")).map((f) => readFileSync(join(dir, f), "utf8")));

describe("decode and compile to LLB never crash", () => {
  // The compiler is loaded on first use (llb.ts imports it lazily); that load is not the input's time.
  beforeAll(async () => {
    const warm = loadDeclaration(new SourceFile("warm.hcl", 'image "a" {\n  base_image = "scratch"\n}\n'), { vars: new Map() }).value!;
    await compileWithoutBuildKit(warm, warm.images[0]!, parsePlatform("linux/amd64"), undefined);
  });

  it(`on hostile declarations (${RUNS} inputs)`, async () => {
    await fc.assert(fc.asyncProperty(hostileDeclaration, check), { numRuns: RUNS });
  }, TIMEOUT_MS);

  it(`on mutated corpus files (${Math.ceil(RUNS / 2)} inputs)`, async () => {
    await fc.assert(fc.asyncProperty(mutated(seeds), check), { numRuns: Math.ceil(RUNS / 2) });
    // The per-layer counts, for the CI log (the issue asks for them there).
    for (const dog of Object.values(counts)) console.log(dog.summary());
    expect(counts.decode.inputs).toBeGreaterThanOrEqual(RUNS + Math.ceil(RUNS / 2));
    // The generator must reach compilation, or the property says nothing about llb.
    expect(counts.llb.inputs).toBeGreaterThan(RUNS / 20);
  }, TIMEOUT_MS);
});
