declare const __SLIPWAY_VERSION__: string | undefined;

/** slipway's version, set by the bundler from package.json ("dev" when run from source, e.g. in tests). */
export const SLIPWAY_VERSION: string = typeof __SLIPWAY_VERSION__ === "string" ? __SLIPWAY_VERSION__ : "dev";
