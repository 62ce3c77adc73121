import * as grpc from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { google } from "../../llb/proto/google/rpc/status.js";
import { GatewayClient, gw, isGatewayError } from "./client.js";

/**
 * A fake LLBBridge server (grpc-js) for the protocol code: ranged reads and error forwarding. The real
 * proof that the client works is the e2e suite against BuildKit.
 */
const file = new Uint8Array(10 * 1024 + 7).map((_, i) => (i * 31) & 0xff);
const reads: { offset: number; length: number }[] = [];
let server: grpc.Server;
let dir: string;
let client: GatewayClient;

function unary<Req extends { serializeBinary(): Uint8Array }, Res extends { serializeBinary(): Uint8Array }>(
  decode: (b: Uint8Array) => Req,
  handler: (req: Req) => Res | grpc.ServiceError,
): grpc.UntypedHandleCall {
  return ((call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
    const out = handler(call.request);
    if (out instanceof Error) callback(out);
    else callback(null, out);
  }) as grpc.UntypedHandleCall;
}

function method(name: string, decode: (b: Uint8Array) => unknown) {
  return {
    path: `/moby.buildkit.v1.frontend.LLBBridge/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: { serializeBinary(): Uint8Array }) => Buffer.from(m.serializeBinary()),
    requestDeserialize: (b: Buffer) => decode(new Uint8Array(b)),
    responseSerialize: (m: { serializeBinary(): Uint8Array }) => Buffer.from(m.serializeBinary()),
    responseDeserialize: (b: Buffer) => b,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "slipway-gw-"));
  server = new grpc.Server();
  server.addService(
    {
      ReadFile: method("ReadFile", gw.ReadFileRequest.deserializeBinary),
      Solve: method("Solve", gw.SolveRequest.deserializeBinary),
    } as unknown as grpc.ServiceDefinition,
    {
      ReadFile: unary(gw.ReadFileRequest.deserializeBinary, (req) => {
        const offset = req.Range ? req.Range.Offset : 0;
        const length = req.Range ? req.Range.Length : file.length;
        reads.push({ offset, length });
        return new gw.ReadFileResponse({ Data: file.slice(offset, offset + length) });
      }),
      Solve: unary(gw.SolveRequest.deserializeBinary, () => {
        const status = new google.rpc.Status({ code: 2, message: "process did not complete successfully" });
        const md = new grpc.Metadata();
        md.set("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
        return Object.assign(new Error("solve failed"), { code: grpc.status.UNKNOWN, details: "solve failed", metadata: md });
      }),
    },
  );
  const target = `unix:${join(dir, "gw.sock")}`;
  await new Promise<void>((resolve, reject) => server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  client = GatewayClient.connect(target);
});

afterAll(() => {
  client.close();
  server.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

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
