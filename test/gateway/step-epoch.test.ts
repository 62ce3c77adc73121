import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile } from "../../grammar/index.js";
import { parsePlatform } from "../../llb/index.js";
import { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";
import { gw, type SolveRequest } from "../../frontend/gateway/client.js";
import { readBuildOptions } from "../../frontend/gateway/options.js";
import { buildStep } from "../../frontend/solve/steps.js";
import { BuildSession, Capabilities } from "../../frontend/solve/session.js";
import { moby as capsPb } from "../../frontend/gateway/proto/github.com/moby/buildkit/util/apicaps/pb/caps.js";
import { solveResponse, startFakeBridge } from "../support/fake-llb-bridge.js";

/**
 * A step is built by BuildKit's Dockerfile frontend with the build's epoch as SOURCE_DATE_EPOCH, so the
 * Dockerfile frontend stamps what the step writes with it. A fake LLBBridge records the request; what
 * dockerfile.v0 does with it is BuildKit's (the e2e suite builds examples/hello-step).
 */
const solves: SolveRequest[] = [];
let bridge: Awaited<ReturnType<typeof startFakeBridge>>;

beforeAll(async () => {
  bridge = await startFakeBridge({
    Solve: {
      decode: gw.SolveRequest.deserializeBinary,
      handle: (call, callback) => {
        const req = call.request as SolveRequest;
        solves.push(req);
        callback(null, req.Frontend === "dockerfile.v0" ? solveResponse(req, "step-ref", new pb.Definition({ def: [] })) : solveResponse(req, "dockerfile-ref"));
      },
    },
    ReadFile: {
      decode: gw.ReadFileRequest.deserializeBinary,
      handle: (_call, callback) => callback(null, new gw.ReadFileResponse({ Data: new TextEncoder().encode("FROM scratch\n") })),
    },
  });
});

afterAll(() => bridge.close());

function stepOf(buildArgs: string) {
  const text = `image "x" {\n  base_image = "scratch"\n  file "/x" {\n    from_step "s" { path = "/x" }\n  }\n}\nstep "s" {\n  dockerfile = "Dockerfile"\n${buildArgs}  source_file "/x" {\n    vcs "git" {\n      repository = "https://example.org/x"\n      ref = "main"\n    }\n  }\n}\n`;
  const { value: declaration, diagnostics } = loadDeclaration(new SourceFile("slipway.hcl", text), { vars: new Map() });
  if (!declaration) throw new Error(diagnostics.map((d) => d.summary).join("\n"));
  return declaration.steps[0]!;
}

async function stepOptions(buildArgs: string, epoch: number): Promise<Map<string, string>> {
  solves.length = 0;
  const llbCaps = ["constraints", "meta.description", "platform", "source.local", "source.local.followpaths", "source.local.sessionid", "source.local.sharedkeyhint", "source.local.includepatterns", "file.base"];
  const caps = new Capabilities(new gw.PongResponse({ LLBCaps: llbCaps.map((ID) => new capsPb.buildkit.v1.apicaps.APICap({ ID, Enabled: true })) }));
  const session = new BuildSession(bridge.client, readBuildOptions({ BUILDKIT_SESSION_ID: "s1" }), caps);
  await buildStep(session, stepOf(buildArgs), parsePlatform("linux/amd64"), epoch);
  const dockerfile = solves.find((s) => s.Frontend === "dockerfile.v0");
  expect(dockerfile).toBeDefined();
  return dockerfile!.FrontendOpt;
}

describe("a step", () => {
  it("gets the build's epoch as the build argument SOURCE_DATE_EPOCH", async () => {
    const opts = await stepOptions("", 1700000000);
    expect(opts.get("build-arg:SOURCE_DATE_EPOCH")).toBe("1700000000");
    expect((await stepOptions("", 0)).get("build-arg:SOURCE_DATE_EPOCH")).toBe("0");
  });

  it("keeps a SOURCE_DATE_EPOCH its own build_args set", async () => {
    const opts = await stepOptions('  build_args = { SOURCE_DATE_EPOCH = "42" }\n', 1700000000);
    expect(opts.get("build-arg:SOURCE_DATE_EPOCH")).toBe("42");
  });
});
