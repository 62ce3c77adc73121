import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { google } from "./proto/google/rpc/status.js";
import { startFakeBridge, type FakeMethod } from "../../test/support/fake-llb-bridge.js";
import { gw, isGatewayError, type GatewayClient } from "./client.js";

/**
 * A fake LLBBridge server (grpc-js) for the protocol code: ranged reads and error forwarding. The real
 * proof that the client works is the e2e suite against BuildKit.
 */
const file = new Uint8Array(10 * 1024 + 7).map((_, i) => (i * 31) & 0xff);
const reads: { offset: number; length: number }[] = [];
let bridge: Awaited<ReturnType<typeof startFakeBridge>>;
let client: GatewayClient;

function unary<Req, Res>(handler: (req: Req) => Res | grpc.ServiceError): FakeMethod["handle"] {
  return (call, callback) => {
    const out = handler(call.request as Req);
    if (out instanceof Error) callback(out);
    else callback(null, out);
  };
}

beforeAll(async () => {
  bridge = await startFakeBridge({
    ReadFile: {
      decode: gw.ReadFileRequest.deserializeBinary,
      handle: unary((req: InstanceType<typeof gw.ReadFileRequest>) => {
        const offset = req.Range ? req.Range.Offset : 0;
        const length = req.Range ? req.Range.Length : file.length;
        reads.push({ offset, length });
        return new gw.ReadFileResponse({ Data: file.slice(offset, offset + length) });
      }),
    },
    Solve: {
      decode: gw.SolveRequest.deserializeBinary,
      handle: unary(() => {
        const status = new google.rpc.Status({ code: 2, message: "process did not complete successfully" });
        const md = new grpc.Metadata();
        md.set("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
        return Object.assign(new Error("solve failed"), { code: grpc.status.UNKNOWN, details: "solve failed", metadata: md });
      }),
    },
  });
  client = bridge.client;
});

afterAll(() => bridge.close());

describe("GatewayClient", () => {
  it("reads a file larger than one chunk in ranges and reassembles it", async () => {
    reads.length = 0;
    const data = await client.readFile("ref", "/f", { chunkBytes: 4096 });
    expect(Buffer.compare(Buffer.from(data), Buffer.from(file))).toBe(0);
    expect(reads.map((r) => r.offset)).toEqual([0, 4096, 8192]);
  });

  it("reads a small file with a known size in one call without a range", async () => {
    reads.length = 0;
    const data = await client.readFile("ref", "/f", { size: file.length });
    expect(data.length).toBe(file.length);
    expect(reads).toEqual([{ offset: 0, length: file.length }]);
  });

  it("keeps BuildKit's rich status on a failed call", async () => {
    const err = await client.solve(new gw.SolveRequest()).catch((e: unknown) => e);
    expect(isGatewayError(err)).toBe(true);
    if (isGatewayError(err)) {
      expect(err.method).toBe("Solve");
      expect(err.status.message).toBe("process did not complete successfully");
    }
  });
});
