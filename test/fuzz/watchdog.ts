/**
 * The per-input watchdog of the fuzz suites: each input runs under a time limit and a heap ceiling, and
 * every throw, slow input or heap blow-up is collected (with the input) rather than stopping the run, so
 * the suite can report its counts per layer ("fuzz evaluate: N inputs, 0 crashes, 0 over 1 s") in the CI
 * output and then fail with the first few offenders. FUZZ_SLOW_MS=N in the environment prints every input
 * slower than N ms, to see what to make cheaper.
 */
export class Watchdog {
  inputs = 0;
  /** The run's fast-check seed: random, or FUZZ_SEED to replay a run; the summary names it. */
  readonly seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  readonly crashes: string[] = [];
  readonly slow: string[] = [];
  readonly heavy: string[] = [];

  constructor(
    readonly layer: string,
    readonly limitMs = 1000,
    /** Heap in use after an input, in MiB, past which the input counts as a memory blow-up. */
    readonly heapCeilingMb = 1024,
  ) {}

  /** Runs `f` on one input; `check` may throw to report a broken property of its result. */
  run<T>(input: unknown, f: () => T, check?: (result: T) => void): void {
    this.inputs++;
    const start = performance.now();
    let result: T;
    try {
      result = f();
    } catch (e) {
      this.crashes.push(`${show(input)}\n  threw ${(e as Error).stack ?? String(e)}`);
      return;
    }
    const ms = performance.now() - start;
    if (ms > this.limitMs) this.slow.push(`${show(input)}\n  took ${ms.toFixed(0)} ms`);
    if (process.env.FUZZ_SLOW_MS && ms > Number(process.env.FUZZ_SLOW_MS)) console.log(`slow ${ms.toFixed(0)} ms: ${show(input)}`);
    const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
    if (heapMb > this.heapCeilingMb) this.heavy.push(`${show(input)}\n  left ${heapMb.toFixed(0)} MiB of heap in use`);
    try {
      check?.(result);
    } catch (e) {
      this.crashes.push(`${show(input)}\n  ${(e as Error).message}`);
    }
  }

  /** The CI line for this layer. */
  summary(): string {
    return `fuzz ${this.layer}: ${this.inputs} inputs, ${this.crashes.length} crashes, ${this.slow.length} over ${this.limitMs / 1000} s, ${this.heavy.length} over ${this.heapCeilingMb} MiB of heap (seed ${this.seed})`;
  }

  /** Prints the summary and throws with the first offenders, if any. */
  report(): void {
    console.log(this.summary());
    const problems = [...this.crashes, ...this.slow, ...this.heavy];
    if (problems.length > 0) throw new Error(`${this.summary()}\n${problems.slice(0, 5).join("\n")}`);
  }
}

function show(input: unknown): string {
  const text = typeof input === "string" ? input : JSON.stringify(input);
  return text.length > 2000 ? `${JSON.stringify(text.slice(0, 2000))}… (${text.length} characters)` : JSON.stringify(text);
}
