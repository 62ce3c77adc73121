/**
 * "Did you mean …?" suggestions for misspelt names (attributes, blocks, functions, variables, steps,
 * targets), by edit distance, as HCL's `nameSuggestion` does.
 */

/** The Levenshtein distance between `a` and `b` (insertions, deletions and substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `given`, if it is close enough to be a likely typo: a case-insensitive match, or
 * fewer than three edits away and fewer edits than `given` has characters (so that `x` does not suggest
 * `y`). Ties go to the earliest candidate, so callers control preference by order.
 */
export function suggest(given: string, candidates: Iterable<string>): string | undefined {
  const lower = given.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === given) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined || bestDistance >= 3 || bestDistance >= given.length) return undefined;
  return best;
}

/** `Did you mean "x"?` for the closest candidate, or undefined when nothing is close. */
export function didYouMean(given: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(given, candidates);
  return s === undefined ? undefined : `Did you mean "${s}"?`;
}
