/**
 * How long loading a declaration takes — parse, then evaluate + decode + check — on generated declarations
 * of 1, 2 and 4 MiB (about 5,000 blocks per MiB, from bench/generate-declaration.ts). Each size runs a few
 * times after a warm-up; min and median are reported, and the first (cold) load of the process. The goal is under 300 ms for 1 MiB, growing
 * linearly. Run from the repository root:
 *
 *   npx esbuild bench/grammar-load.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=.bench-grammar-load.mjs && node .bench-grammar-load.mjs; rm -f .bench-grammar-load.mjs
 */
import { hasErrors, loadDeclaration, parse, renderDiagnostics, SourceFile } from "../grammar/index.js";
import { decodeDeclaration } from "../grammar/decode/index.js";
import { generateDeclaration } from "./generate-declaration.js";
import { stats, time } from "./measure.js";

const MIB = 1 << 20;
const RUNS = Number(process.env.RUNS ?? 15);
const WARMUP = 5;


const vars = new Map<string, string>();
const options = { vars, readFile: () => ({ kind: "missing" as const }) };
const rows: string[] = [];

// Cold: the first load in this process, as a frontend process meets its declaration (JIT not warmed up).
const coldFile = new SourceFile("cold.hcl", generateDeclaration(MIB, 2));
const cold = time(() => {
  loadDeclaration(coldFile, options);
});
for (const factor of [1, 2, 4]) {
  const text = generateDeclaration(factor * MIB);
  const file = new SourceFile("generated.hcl", text);
  const check = loadDeclaration(file, options);
  if (hasErrors(check.diagnostics) || !check.value) {
    console.error(renderDiagnostics(check.diagnostics.slice(0, 5), [file]));
    throw new Error(`the generated ${factor} MiB declaration does not load cleanly`);
  }
  const blocks = (text.match(/^\s*[a-z_]+( "[^"]*")* \{$/gm) ?? []).length;
  const parseTimes: number[] = [];
  const decodeTimes: number[] = [];
  const totalTimes: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    let parsed!: ReturnType<typeof parse>;
    const p = time(() => {
      parsed = parse(file);
    });
    const d = time(() => {
      decodeDeclaration(parsed.file, file, options);
    });
    const t = time(() => {
      loadDeclaration(file, options);
    });
    if (i < WARMUP) continue;
    parseTimes.push(p);
    decodeTimes.push(d);
    totalTimes.push(t);
  }
  const [ps, ds, ts] = [stats(parseTimes), stats(decodeTimes), stats(totalTimes)];
  const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
  rows.push(
    `| ${factor} MiB (${(text.length / MIB).toFixed(2)} MiB, ${blocks} blocks, ${check.value.images.length} images) | ${ms(ps.min)} / ${ms(ps.median)} | ${ms(ds.min)} / ${ms(ds.median)} | ${ms(ts.min)} / ${ms(ts.median)} |`,
  );
}
console.log(`Node ${process.version}. Cold (first load in a fresh process, 1 MiB): ${cold.toFixed(0)} ms.`);
console.log(`Warm: ${RUNS} runs after ${WARMUP} warm-up runs; min / median.\n`);
console.log("| declaration | parse | evaluate + decode + check | loadDeclaration (all) |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(r);
