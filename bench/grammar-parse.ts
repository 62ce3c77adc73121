/**
 * How long the syntax layer takes: `parse` (scan, parse, AST) and `format`, on generated declarations of 1,
 * 2 and 4 MiB (bench/generate-declaration.ts). The goal is a 1 MiB parse well under 150 ms, growing
 * linearly. Reports the first parse (cold JIT), then min and median of RUNS runs after WARMUP runs, and a
 * calibration loop (allocating 300,000 small objects) so that timings from different machines, or from
 * one machine under different load, can be compared. Run from the repository root:
 *
 *   npx esbuild bench/grammar-parse.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=.bench-grammar-parse.mjs && node .bench-grammar-parse.mjs; rm -f .bench-grammar-parse.mjs
 */
import { SourceFile } from "../grammar/source/file.js";
import { format, parse } from "../grammar/syntax/index.js";
import { generateDeclaration } from "./generate-declaration.js";
import { stats, time } from "./measure.js";

const MIB = 1 << 20;
const RUNS = Number(process.env.RUNS ?? 9);
const WARMUP = 2;


/** A fixed amount of allocation-heavy work: the same on every machine, so it measures the machine. */
function calibrate(): number {
  const samples: number[] = [];
  for (let k = 0; k < 7; k++) {
    samples.push(
      time(() => {
        const out: object[] = [];
        for (let i = 0; i < 300_000; i++) out.push({ a: i, b: i + 1, c: "x", d: null });
      }),
    );
  }
  return stats(samples).min;
}

const rows: string[] = [];
let first: number | undefined;
for (const factor of [1, 2, 4]) {
  const text = generateDeclaration(factor * MIB);
  const file = new SourceFile("generated.hcl", text);
  const cold = time(() => parse(file));
  first ??= cold;
  const result = parse(file);
  if (result.diagnostics.length > 0) throw new Error(`the generated ${factor} MiB declaration has syntax errors`);
  let blocks = 0;
  const count = (items: readonly { kind: string; body?: { items: readonly unknown[] } }[]): void => {
    for (const item of items) if (item.kind === "block") (blocks++, count(item.body!.items as never));
  };
  count(result.file.body.items);
  const parseTimes: number[] = [];
  const formatTimes: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const p = time(() => parse(file));
    const f = time(() => format(text, "generated.hcl"));
    if (i >= WARMUP) {
      parseTimes.push(p);
      formatTimes.push(f);
    }
  }
  const p = stats(parseTimes);
  const f = stats(formatTimes);
  rows.push(
    `| ${factor} MiB | ${blocks} | ${p.min.toFixed(0)} | ${p.median.toFixed(0)} | ${(p.median / factor).toFixed(0)} | ${f.min.toFixed(0)} | ${f.median.toFixed(0)} |`,
  );
}

console.log(`node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up runs; first parse (cold JIT, 1 MiB): ${first!.toFixed(0)} ms`);
console.log(`calibration (300,000 allocations, min of 7): ${calibrate().toFixed(1)} ms`);
console.log("");
console.log("| size | blocks | parse min (ms) | parse median (ms) | median per MiB (ms) | format min (ms) | format median (ms) |");
console.log("|---|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
