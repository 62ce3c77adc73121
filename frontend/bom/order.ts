/**
 * Orderings that depend on nothing but the strings: UTF-16 code units, never the locale, so every machine
 * sorts the same way.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares by a tuple of strings, first difference wins. */
export function compareBy<T>(key: (x: T) => readonly string[]): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const c = compareStrings(ka[i] ?? "", kb[i] ?? "");
      if (c !== 0) return c;
    }
    return 0;
  };
}
