/** Timing helpers shared by the grammar benchmarks. */

/** Milliseconds `f` takes. */
export function time(f: () => void): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

/** Minimum and median of some samples. */
export function stats(samples: number[]): { min: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}
