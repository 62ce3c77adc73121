/**
 * The fuzz suites' one watchdog. Each input runs under a time limit and a heap limit; every throw, slow
 * input or heap blow-up is counted with the input, so a suite reports its counts per layer in the CI
 * output ("fuzz evaluate: N inputs, 0 crashes, 0 over 1 s, …") and then fails with the first offenders.
 * Every exception is a crash: the code under test must turn bad input into values (diagnostics, or errors
 * it declares: `expected`), never throw something else. FUZZ_SLOW_MS=N prints every input slower than N
 * ms, to see what to make cheaper.
 *
 * The options cover what the suites need:
 * - `run` takes a synchronous input (fast-check's `property`), `runAsync` an asynchronous one, abandoned
 *   after `hangMs` and counted as a crash, so a hang cannot stall the suite.
 * - `heap` says what the heap limit bounds: `absolute`, the heap in use after an input; `since-start`,
 *   its growth since the watchdog was made (a leak across inputs); `per-input`, its growth during one
 *   input (one input's blow-up, whatever came before).
 * - `failFast` throws at the first offender instead of collecting, so fast-check shrinks it.
 */
export interface WatchdogOptions {
  /**
   * An input that takes more CPU time than this is counted. CPU time, not wall time: on a loaded CI
   * machine an input's wall time grows with every other process, and a fuzz failure must mean slow code.
   */
  readonly slowMs: number;
  /** An asynchronous input that has not settled after this is abandoned and counted as a crash. */
  readonly hangMs: number;
  readonly heap: "absolute" | "since-start" | "per-input";
  /** The heap limit, in bytes, in the sense of `heap`. */
  readonly heapBytes: number;
  /** A thrown error that is the code's documented answer to bad input (e.g. an ImageReadError). */
  readonly expected: (e: unknown) => boolean;
  readonly failFast: boolean;
}

const DEFAULT_OPTIONS: Readonly<WatchdogOptions> = Object.freeze({
  slowMs: 1000,
  hangMs: 10_000,
  heap: "absolute",
  heapBytes: 1024 * 1024 * 1024,
  expected: () => false,
  failFast: false,
});

const MiB = 1024 * 1024;

export class Watchdog {
  readonly options: Readonly<WatchdogOptions>;
  /** The run's fast-check seed: random, or FUZZ_SEED to replay a run; the summary names it. */
  readonly seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  inputs = 0;
  readonly crashes: string[] = [];
  readonly slow: string[] = [];
  readonly heavy: string[] = [];
  slowestMs = 0;
  totalMs = 0;
  /** The largest heap figure met, in the sense of `options.heap`. */
  peakHeapBytes = 0;
  readonly #baseline = process.memoryUsage().heapUsed;

  constructor(
    readonly layer: string,
    options: Partial<WatchdogOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Runs `f` on one synchronous input; `check` may throw to report a broken property of its result. */
  run<T>(input: unknown, f: () => T, check?: (result: T) => void): T | undefined {
    const before = this.#start();
    let result: T;
    try {
      result = f();
    } catch (e) {
      return this.#threw(input, e);
    }
    return this.#finish(input, before, result, check);
  }

  /** Runs `f` on one input that may be asynchronous, abandoning it after `hangMs`. */
  async runAsync<T>(input: unknown, f: () => T | Promise<T>, check?: (result: T) => void): Promise<T | undefined> {
    const before = this.#start();
    let timer: NodeJS.Timeout | undefined;
    let result: T;
    try {
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not settle within ${this.options.hangMs} ms`)), this.options.hangMs);
      });
      result = await Promise.race([Promise.resolve().then(f), hang]);
    } catch (e) {
      return this.#threw(input, e);
    } finally {
      clearTimeout(timer);
    }
    return this.#finish(input, before, result, check);
  }

  #start(): { readonly cpu: NodeJS.CpuUsage; readonly heap: number } {
    this.inputs++;
    return { cpu: process.cpuUsage(), heap: process.memoryUsage().heapUsed };
  }

  #threw(input: unknown, e: unknown): undefined {
    if (!this.options.expected(e)) this.#offend(this.crashes, `${show(input)}\n  threw ${e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e)}`);
    return undefined;
  }

  #finish<T>(input: unknown, before: { readonly cpu: NodeJS.CpuUsage; readonly heap: number }, result: T, check?: (result: T) => void): T {
    const spent = process.cpuUsage(before.cpu);
    const ms = (spent.user + spent.system) / 1000;
    this.totalMs += ms;
    this.slowestMs = Math.max(this.slowestMs, ms);
    const o = this.options;
    if (ms > o.slowMs) this.#offend(this.slow, `${show(input)}\n  took ${ms.toFixed(0)} ms of CPU (limit ${o.slowMs})`);
    if (process.env.FUZZ_SLOW_MS && ms > Number(process.env.FUZZ_SLOW_MS)) console.log(`slow ${ms.toFixed(0)} ms: ${show(input)}`);
    const used = process.memoryUsage().heapUsed;
    const heap = o.heap === "absolute" ? used : used - (o.heap === "per-input" ? before.heap : this.#baseline);
    this.peakHeapBytes = Math.max(this.peakHeapBytes, heap);
    if (heap > o.heapBytes) this.#offend(this.heavy, `${show(input)}\n  ${o.heap === "absolute" ? "left" : "grew the heap by"} ${(heap / MiB).toFixed(0)} MiB`);
    try {
      check?.(result);
    } catch (e) {
      this.#offend(this.crashes, `${show(input)}\n  ${(e as Error).message}`);
    }
    return result;
  }

  #offend(list: string[], problem: string): void {
    list.push(problem);
    if (this.options.failFast) throw new Error(`fuzz ${this.layer}: ${problem}`);
  }

  /** The CI line for this layer. */
  summary(): string {
    const o = this.options;
    const heapWhat = o.heap === "absolute" ? "of heap" : o.heap === "per-input" ? "of heap growth in one input" : "of heap growth";
    return (
      `fuzz ${this.layer}: ${this.inputs} inputs, ${this.crashes.length} crashes, ${this.slow.length} over ${o.slowMs / 1000} s, ` +
      `${this.heavy.length} over ${o.heapBytes / MiB} MiB ${heapWhat} (slowest ${Math.round(this.slowestMs)} ms, ` +
      `${(this.totalMs / 1000).toFixed(1)} s in all, heap ${Math.round(this.peakHeapBytes / MiB)} MiB at most, seed ${this.seed})`
    );
  }

  /** Prints the summary and throws with the first offenders, if any. */
  report(): void {
    console.log(this.summary());
    const problems = [...this.crashes, ...this.slow, ...this.heavy];
    if (problems.length > 0) throw new Error(`${this.summary()}\n${problems.slice(0, 5).join("\n")}`);
  }
}

/**
 * Runs every input of one layer through a watchdog, one at a time (asynchronously), and prints the
 * summary; the caller asserts on the counts. Heap growth is measured since the layer started by default:
 * these inputs are small, so growth across them is a leak.
 */
export async function fuzzLayer<T>(layer: string, inputs: readonly T[], run: (input: T) => unknown, options: Partial<WatchdogOptions> = {}): Promise<Watchdog> {
  const dog = new Watchdog(layer, { heap: "since-start", heapBytes: 200 * MiB, ...options });
  for (const input of inputs) await dog.runAsync(input, () => run(input));
  console.log(dog.summary());
  return dog;
}

function show(input: unknown): string {
  const text = typeof input === "string" ? input : input instanceof Uint8Array ? `${input.length} bytes` : JSON.stringify(input);
  const t = text ?? String(input);
  return t.length > 2000 ? `${JSON.stringify(t.slice(0, 2000))}… (${t.length} characters)` : JSON.stringify(t);
}
