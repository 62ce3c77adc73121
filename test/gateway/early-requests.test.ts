import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { handleBuild } from "../../frontend/build.js";
import { gw, type GatewayClient } from "../../frontend/gateway/client.js";
import { moby as capsPb } from "../../frontend/gateway/proto/github.com/moby/buildkit/util/apicaps/pb/caps.js";
import { solveResponse, startFakeBridge } from "../support/fake-llb-bridge.js";

/**
 * handleBuild sends the declaration's Solve beside Ping instead of after its answer (one round trip less on
 * every build). A fake LLBBridge records the order calls arrive in; what a real BuildKit does with them is
 * the e2e suite's business.
 */
type Call = { method: string; at: number; ref?: string; path?: string };
const calls: Call[] = [];
let pong: InstanceType<typeof gw.PongResponse>;
let solveFails = false;
let declarationText = "";
let pingAnswered = 0;
let bridge: Awaited<ReturnType<typeof startFakeBridge>>;
let client: GatewayClient;
let clock = 0;

const GATEWAY_CAPS = ["solve.base", "readfile", "return", "proto.refarray", "reference.output", "gateway.warnings"];
const LLB_CAPS = ["source.local", "source.local.followpaths", "source.local.sharedkeyhint", "source.local.sessionid", "source.local.differ", "constraints", "platform", "meta.description"];
const caps = (ids: string[]) => ids.map((ID) => new capsPb.buildkit.v1.apicaps.APICap({ ID, Enabled: true }));

beforeAll(async () => {
  bridge = await startFakeBridge({
    Ping: {
      decode: gw.PingRequest.deserializeBinary,
      handle: (_call, callback) => {
        calls.push({ method: "Ping", at: clock++ });
        // answer late, so that anything sent "after Ping's answer" would show up after it
        setTimeout(() => {
          pingAnswered = clock++;
          callback(null, pong);
        }, 50);
      },
    },
    Solve: {
      decode: gw.SolveRequest.deserializeBinary,
      handle: (call, callback) => {
        calls.push({ method: "Solve", at: clock++ });
        if (solveFails) callback({ code: grpc.status.UNIMPLEMENTED, details: "unknown method Solve" } as grpc.ServiceError);
        else callback(null, solveResponse(call.request as InstanceType<typeof gw.SolveRequest>, "declaration-ref"));
      },
    },
    ReadFile: {
      decode: gw.ReadFileRequest.deserializeBinary,
      handle: (call, callback) => {
        const req = call.request as InstanceType<typeof gw.ReadFileRequest>;
        calls.push({ method: "ReadFile", at: clock++, ref: req.Ref, path: req.FilePath });
        if (req.FilePath === "slipway.hcl") callback(null, new gw.ReadFileResponse({ Data: new TextEncoder().encode(declarationText) }));
        else callback({ code: grpc.status.UNKNOWN, details: `open ${req.FilePath}: no such file or directory` } as grpc.ServiceError);
      },
    },
  });
  client = bridge.client;
});

afterEach(() => {
  calls.length = 0;
  solveFails = false;
});

afterAll(() => bridge.close());

const env = { BUILDKIT_SESSION_ID: "s1", BUILDKIT_FRONTEND_OPT_0: "filename=slipway.hcl" };

describe("handleBuild's first requests", () => {
  it("asks for the declaration's files before Ping has answered, and reads them from that Solve's ref", async () => {
    pong = new gw.PongResponse({ FrontendAPICaps: caps(GATEWAY_CAPS), LLBCaps: caps(LLB_CAPS) });
    declarationText = 'image "x" {\n  base_image = \n}\n';
    const returned = await handleBuild(client, env);
    const solve = calls.find((c) => c.method === "Solve");
    expect(solve, JSON.stringify(calls)).toBeDefined();
    expect(solve!.at).toBeLessThan(pingAnswered);
    const reads = calls.filter((c) => c.method === "ReadFile");
    expect(reads.map((r) => [r.ref, r.path]).sort()).toEqual([
      ["declaration-ref", "slipway.hcl"],
      ["declaration-ref", "slipway.lock.json"],
    ]);
    expect(reads.every((r) => r.at > pingAnswered)).toBe(true);
    // the declaration was read and parsed: its syntax error comes back located
    expect(returned.has_error).toBe(true);
    expect(returned.error.message).toMatch(/slipway\.hcl/);
    expect(returned.error.details.length).toBeGreaterThan(0);
  });

  it("reports a daemon that lacks a gateway cap, not the failure of the Solve sent beside Ping", async () => {
    pong = new gw.PongResponse({ FrontendAPICaps: caps(["solve.base", "return"]), LLBCaps: caps(LLB_CAPS) });
    solveFails = true;
    const returned = await handleBuild(client, env);
    expect(calls.map((c) => c.method).sort()).toEqual(["Ping", "Solve"]);
    expect(returned.has_error).toBe(true);
    expect(returned.error.message).toMatch(/lacks the gateway capability "readfile"/);
  });

  it("reports a daemon that lacks an LLB cap the declaration's source needs before using the Solve's ref", async () => {
    pong = new gw.PongResponse({ FrontendAPICaps: caps(GATEWAY_CAPS), LLBCaps: caps(LLB_CAPS.filter((c) => c !== "source.local.followpaths")) });
    const returned = await handleBuild(client, env);
    expect(calls.filter((c) => c.method === "ReadFile")).toEqual([]);
    expect(returned.has_error).toBe(true);
    expect(returned.error.message).toMatch(/source\.local\.followpaths/);
  });
});
