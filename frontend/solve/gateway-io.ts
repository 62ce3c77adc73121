import { customName, http, type Platform } from "../../llb/index.js";
import { FetchError, type Fetcher, type ImageFiles } from "../debian/index.js";
import { isGatewayError } from "../gateway/index.js";
import type { BuildSession } from "./session.js";

/**
 * The frontend image has no network: every download is an LLB http source that BuildKit fetches (and,
 * given a checksum, verifies and caches by content), read back through the gateway.
 */
export function gatewayFetcher(session: BuildSession, platform: Platform): Fetcher {
  return {
    async fetch(url, expect = {}) {
      const state = http(url, {
        filename: "data",
        ...(expect.sha256 && { checksum: `sha256:${expect.sha256}` }),
        constraints: customName(`[slipway] fetch ${url}`),
      });
      try {
        const ref = await session.solve(state, platform);
        return await session.readFile(ref, "data", expect.size);
      } catch (e) {
        if (!isGatewayError(e)) throw e;
        const mismatch = /digest mismatch|checksum/i.test(e.message);
        throw new FetchError(url, e.message, mismatch ? "mismatch" : "network");
      }
    },
  };
}

/** The filesystem of a solved state, read through the gateway (missing paths are `undefined`). */
export function gatewayImageFiles(session: BuildSession, ref: string): ImageFiles {
  return {
    readFile: (path) => session.readFileIfPresent(ref, path),
    async readDir(path) {
      const entries = await session.readDir(ref, path);
      return entries?.map((e) => e.path).sort();
    },
  };
}

/** Go's os.FileMode: the directory bit is 1<<31; the low 12 bits are the permissions. */
const GO_MODE_DIR = 0x80000000;

export function isDirectory(mode: number): boolean {
  return (mode & GO_MODE_DIR) !== 0;
}
