/**
 * Runs fuzz inputs one at a time under a watchdog: each input gets a time budget (an input over it is
 * counted, and one that never settles is abandoned after `hangMs` and counted as a crash) and the heap
 * is sampled after it (a heap that grew past `memoryBytes` since the layer started is counted). Every
 * exception is a crash: the code under test must turn bad input into values (diagnostics, errors it
 * declares), never throw something else. `expected` says which thrown errors are such declared errors.
 */
export interface FuzzOptions {
  readonly slowMs: number;
  readonly hangMs: number;
  readonly memoryBytes: number;
  /** A thrown error that is the code's documented answer to bad input (e.g. a BomReadError). */
  readonly expected: (e: unknown) => boolean;
}

export interface FuzzReport {
  readonly layer: string;
  readonly inputs: number;
  readonly crashes: readonly string[];
  readonly slow: number;
  readonly overMemory: number;
  readonly slowestMs: number;
  readonly peakHeapGrowthMb: number;
}

const defaults: FuzzOptions = Object.freeze({ slowMs: 1000, hangMs: 10_000, memoryBytes: 200 * 1024 * 1024, expected: () => false });

export async function fuzzLayer<T>(layer: string, inputs: readonly T[], run: (input: T) => unknown, options: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const o = { ...defaults, ...options };
  const crashes: string[] = [];
  let slow = 0;
  let overMemory = 0;
  let slowestMs = 0;
  let peak = 0;
  const baseline = process.memoryUsage().heapUsed;
  for (const [i, input] of inputs.entries()) {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not settle within ${o.hangMs} ms`)), o.hangMs);
      });
      await Promise.race([Promise.resolve().then(() => run(input)), hang]);
    } catch (e) {
      if (!o.expected(e)) crashes.push(`input ${i}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} — ${describe(input)}`);
    } finally {
      clearTimeout(timer);
    }
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > o.slowMs) slow++;
    const growth = process.memoryUsage().heapUsed - baseline;
    peak = Math.max(peak, growth);
    if (growth > o.memoryBytes) overMemory++;
  }
  const report = { layer, inputs: inputs.length, crashes, slow, overMemory, slowestMs: Math.round(slowestMs), peakHeapGrowthMb: Math.round(peak / (1024 * 1024)) };
  // The CI output shows what was tried, layer by layer.
  console.log(`fuzz ${layer}: ${report.inputs} inputs, ${crashes.length} crashes, ${slow} over ${o.slowMs / 1000} s, ${overMemory} over ${o.memoryBytes / (1024 * 1024)} MB (slowest ${report.slowestMs} ms, heap +${report.peakHeapGrowthMb} MB)`);
  return report;
}

function describe(input: unknown): string {
  const text = typeof input === "string" ? input : input instanceof Uint8Array ? `${input.length} bytes` : JSON.stringify(input);
  return (text ?? String(input)).slice(0, 200);
}
