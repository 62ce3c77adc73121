import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../frontend/cli/main.js";
import { memoryIO } from "../../frontend/cli/memory-io.js";
import { gw, type GatewayClient } from "../../frontend/gateway/client.js";
import { readBuildOptions } from "../../frontend/gateway/options.js";
import { compileForBuild } from "../../frontend/image-build.js";
import { BuildSession, Capabilities } from "../../frontend/solve/index.js";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";
import { Definition, parsePlatform } from "../../llb/index.js";
import { moby as capsPb } from "../../frontend/gateway/proto/github.com/moby/buildkit/util/apicaps/pb/caps.js";
import { solveResponse, startFakeBridge } from "../support/fake-llb-bridge.js";
import { sessionFreeDeclaration } from "../support/session-free-declaration.js";

/**
 * `slipway llb` and the gateway build compile through the same `imageLlb`; given the same facts they must
 * hand BuildKit the same Definition, byte for byte. The build's side is its own code (`compileForBuild`,
 * then `BuildSession.solve`), over a fake LLBBridge that records the Definition it is sent. A declaration
 * that needs no answer from BuildKit (a scratch base, a checksummed download, accounts, a config) has
 * the same facts on both sides. test/e2e/cli.test.ts shows the same on a real BuildKit, from the ops'
 * digests it reports.
 */
const declarationText = sessionFreeDeclaration({
  downloads: [{ path: "/usr/local/bin/tool", url: "https://example.org/tool", sha256: "ab".repeat(32), mode: "0755" }],
});

const solved: Uint8Array[] = [];
let bridge: Awaited<ReturnType<typeof startFakeBridge>>;
let client: GatewayClient;

beforeAll(async () => {
  bridge = await startFakeBridge({
    Solve: {
      decode: gw.SolveRequest.deserializeBinary,
      handle: (call, callback) => {
        const request = call.request as InstanceType<typeof gw.SolveRequest>;
        solved.push(request.Definition.serializeBinary());
        callback(null, solveResponse(request, "image-ref"));
      },
    },
  });
  client = bridge.client;
});

afterAll(() => bridge.close());

const caps = (ids: string[]) => ids.map((ID) => new capsPb.buildkit.v1.apicaps.APICap({ ID, Enabled: true }));

describe("slipway llb and the gateway build", () => {
  it("write the same Definition bytes for the same declaration", async () => {
    const platform = parsePlatform("linux/amd64");
    const { io, stdoutBytes } = memoryIO({ "slipway.hcl": declarationText });
    expect(await runCli(["llb", "--platform", "linux/amd64", "slipway.hcl"], io)).toBe(0);
    const fromCli = Buffer.concat(stdoutBytes);

    const options = readBuildOptions({ BUILDKIT_SESSION_ID: "s1", BUILDKIT_FRONTEND_OPT_0: "filename=slipway.hcl" });
    const pong = new gw.PongResponse({
      FrontendAPICaps: caps(["solve.base", "readfile", "return"]),
      LLBCaps: caps(["source.http", "source.http.checksum", "source.http.perm", "source.http.filename", "file.base", "file.copy", "file.mkfile", "file.mkdir", "constraints", "platform", "meta.description"]),
    });
    const session = new BuildSession(client, options, new Capabilities(pong), new Map());
    const declaration = loadDeclaration(new SourceFile("slipway.hcl", declarationText), { vars: new Map() }).value!;
    const loaded = { declaration, files: new Map(), lock: undefined, warnings: [], contextFiles: new Map(), unusedBuildArgs: [], arguments: [] };
    const { compiled } = await compileForBuild(session, loaded, declaration.images[0]!, platform, undefined);
    await session.solve(compiled.state, platform);
    const fromBuild = Buffer.from(solved.at(-1)!);

    expect(Definition.fromBytes(fromBuild).ops.length).toBeGreaterThan(2);
    expect(fromBuild.equals(fromCli)).toBe(true);
  });
});
