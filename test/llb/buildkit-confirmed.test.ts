// Digests a real BuildKit reported for every op of one graph that uses every op kind and most options
// (see vectors/buildkit-confirmed.json for how they were taken). A mismatch means our bytes are no longer
// what Go's deterministic encoding writes, and failing steps would lose their declaration snippets.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { marshal, parsePlatform } from "../../llb/index.js";
import { decode } from "./decode.js";
import { buildkitProbeGraph } from "./graphs.js";

const vectors = JSON.parse(readFileSync(new URL("./vectors/buildkit-confirmed.json", import.meta.url), "utf8")) as {
  platform: string;
  ops: [string, string][];
};

describe("digests confirmed by BuildKit", () => {
  it("every op of the probe graph has BuildKit's vertex digest", () => {
    const decoded = decode(marshal(buildkitProbeGraph(), { platform: parsePlatform(vectors.platform) }));
    expect(decoded.body.map((op) => [op.op.op, op.digest])).toEqual(vectors.ops);
  });
});
