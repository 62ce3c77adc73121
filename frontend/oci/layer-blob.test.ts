import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ZSTD_DESCRIPTOR, ZSTD_MAGIC, zstdBlockHeader, zstdFrame, zstdWindow, type ZstdBlock } from "../../test/support/zstd.js";
import { LayerBlobError, layerCompression, layerTar } from "./layer-blob.js";

const MAGIC = ZSTD_MAGIC;
const DESCRIPTOR = ZSTD_DESCRIPTOR;
/** A 1 KiB window. */
const WINDOW_1K = zstdWindow(0);
const frame = (blocks: readonly ZstdBlock[], header: readonly number[] = [...MAGIC, DESCRIPTOR, WINDOW_1K]) => zstdFrame(blocks, header);
const blockHeader = zstdBlockHeader;

async function collect(bytes: Uint8Array, limit = Infinity): Promise<{ data: Buffer; largestChunk: number }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let largestChunk = 0;
  for await (const c of layerTar(bytes)) {
    chunks.push(c);
    total += c.length;
    largestChunk = Math.max(largestChunk, c.length);
    if (total > limit) break;
  }
  return { data: Buffer.concat(chunks), largestChunk };
}

const text = (s: string) => new TextEncoder().encode(s);

describe("layerTar", () => {
  it("passes a plain tar through and decompresses gzip and zstd, the bytes deciding", async () => {
    const tar = text("a tar, as far as this layer is concerned\n".repeat(40));
    expect(layerCompression(tar)).toBe("none");
    expect((await collect(tar)).data).toEqual(Buffer.from(tar));
    expect(layerCompression(gzipSync(tar))).toBe("gzip");
    expect((await collect(gzipSync(tar))).data).toEqual(Buffer.from(tar));

    // two frames, the first of two raw blocks, a skippable frame between them, an RLE block at the end
    const zstd = Buffer.concat([
      frame([{ raw: tar.subarray(0, 700) }, { raw: tar.subarray(700, 1000) }]),
      Uint8Array.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]),
      frame([{ raw: tar.subarray(1000) }, { rle: 0x2e, times: 5 }]),
    ]);
    expect(layerCompression(zstd)).toBe("zstd");
    expect((await collect(zstd)).data).toEqual(Buffer.concat([Buffer.from(tar), Buffer.from(".....")]));
  });

  it("decompresses what the zstd CLI writes: compressed blocks, a 4 KiB window, checksums, two frames", async () => {
    const fixture = readFileSync(new URL("../../test/fixtures/zstd/layer.tar.zst", import.meta.url));
    const { data, largestChunk } = await collect(fixture);
    expect(createHash("sha256").update(data).digest("hex")).toBe("0501cf85c78cd934718e89d96c6f7bfb9a7bf4c129ac9ff1955afdbcf2a93d34");
    expect(largestChunk).toBeLessThanOrEqual(128 * 1024);
  });

  it("hands a zstd bomb over one block at a time, so the caller's limit stops it", async () => {
    // 8,000 RLE blocks of 128 KiB: 32 KB that expand to 1 GB
    const bomb = zstdFrame(Array.from({ length: 8000 }, () => ({ rle: 0, times: 128 * 1024 })));
    expect(bomb.length).toBeLessThan(33_000);
    // nothing is decompressed ahead of the reader: after its first chunk, memory has grown by a block or
    // two, not by the next thousand blocks (125 MiB). Measured first, before other garbage can be freed.
    const before = process.memoryUsage().arrayBuffers;
    const reader = layerTar(bomb);
    await reader.next();
    const grown = process.memoryUsage().arrayBuffers - before;
    await reader.return(undefined);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    const { data, largestChunk } = await collect(bomb, 4 * 1024 * 1024);
    expect(data.length).toBeLessThanOrEqual(4 * 1024 * 1024 + 128 * 1024);
    expect(largestChunk).toBeLessThanOrEqual(128 * 1024);
  });

  it("refuses, before allocating, a window over the limit or a dictionary, and names the frame", async () => {
    // exponent 20: a 1 GiB window, which fzstd would allocate at once
    const huge = frame([{ raw: text("x") }], [...MAGIC, DESCRIPTOR, zstdWindow(20)]);
    await expect(collect(huge)).rejects.toThrow(/^is zstd with a window of 1 GiB \(frame at byte 0\), more than the 128 MiB slipway decompresses; recompress it at a lower level$/);
    // single segment with a 4-byte content size: the window is the content size
    const big = frame([{ raw: text("x") }], [...MAGIC, 0xa0, 0, 0, 0, 0x10]);
    await expect(collect(big)).rejects.toThrow(/window of 256 MiB/);
    // dictionary id 7 (one byte)
    const dictionary = frame([{ raw: text("x") }], [...MAGIC, 0x01, WINDOW_1K, 7]);
    await expect(collect(dictionary)).rejects.toThrow(/^is zstd with a dictionary \(id 7, frame at byte 0\)/);
  });

  it("refuses a truncated frame, a reserved block type, trailing bytes and damaged blocks as invalid zstd", async () => {
    const good = frame([{ raw: text("hello") }]);
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 2), /^is not valid zstd \(it ends inside a block at byte \d+\)$/],
      [Uint8Array.from([...MAGIC, DESCRIPTOR, WINDOW_1K, ...blockHeader(true, 3, 1), 0]), /^is not valid zstd \(a reserved block type at byte 6\)$/],
      [Buffer.concat([good, Uint8Array.from([1, 2, 3, 4])]), /^is not valid zstd \(byte 14 starts no frame\)$/],
      [Uint8Array.from([...MAGIC, 0x08, WINDOW_1K]), /reserved bit/],
      // a compressed block of garbage
      [Uint8Array.from([...MAGIC, DESCRIPTOR, WINDOW_1K, ...blockHeader(true, 2, 4), 0xff, 0xff, 0xff, 0xff]), /^is not valid zstd \(/],
    ];
    for (const [bytes, message] of cases) {
      const error = await collect(bytes).catch((e: unknown) => e);
      expect(error, message.source).toBeInstanceOf(LayerBlobError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
