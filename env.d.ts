// The few platform globals that grammar/ and llb/ may use. They exist in Node ≥ 18, Deno and every
// browser, but TypeScript only declares them in the DOM lib or @types/node, which those layers must not
// load (a `node:` import has to fail to compile there).
declare global {
  interface TextEncoder { encode(input?: string): Uint8Array }
  var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
  interface TextDecoder { decode(input?: Uint8Array, options?: { stream?: boolean }): string }
  var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean }): TextDecoder };
}
export {};
