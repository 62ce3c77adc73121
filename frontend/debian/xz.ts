import { FetchError } from "./io.js";

/**
 * Decompresses an `.xz` index. Node 20 has no xz, and hand-writing LZMA2 is out of the question:
 * xz-decompress is xz-embedded compiled to WebAssembly (no native addon, so the frontend image needs no
 * build tools), loaded on first use only. The bytes were checked against the signed Release file before
 * they get here, so a failure is a broken repository, reported with its URL.
 */
export async function xzDecompress(bytes: Uint8Array, url: string): Promise<Uint8Array> {
  const { XzReadableStream } = await import("xz-decompress");
  try {
    const stream = new XzReadableStream(new Blob([bytes.slice()]).stream());
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new FetchError(url, `not a valid .xz file (${e instanceof Error ? e.message : String(e)})`, "mismatch");
  }
}
