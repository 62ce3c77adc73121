import * as grpc from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient, gw } from "../../frontend/gateway/client.js";
import type { pb } from "../../llb/proto/github.com/moby/buildkit/solver/pb/ops.js";

/** A unary LLBBridge method of the fake: how its request decodes, and what it answers. */
export interface FakeMethod {
  readonly decode: (bytes: Uint8Array) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly handle: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => void;
}

/**
 * A fake LLBBridge server (grpc-js on a unix socket) for fast tests of protocol code, with a GatewayClient
 * connected to it. What BuildKit itself does is the e2e suite's business, never this.
 */
export async function startFakeBridge(methods: Record<string, FakeMethod>): Promise<{ client: GatewayClient; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-bridge-"));
  const server = new grpc.Server();
  const definition: Record<string, unknown> = {};
  const implementation: Record<string, FakeMethod["handle"]> = {};
  for (const [name, { decode, handle }] of Object.entries(methods)) {
    definition[name] = {
      path: `/moby.buildkit.v1.frontend.LLBBridge/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: { serializeBinary(): Uint8Array }) => Buffer.from(m.serializeBinary()),
      requestDeserialize: (b: Buffer) => decode(new Uint8Array(b)),
      responseSerialize: (m: { serializeBinary(): Uint8Array }) => Buffer.from(m.serializeBinary()),
      responseDeserialize: (b: Buffer) => b,
    };
    implementation[name] = handle;
  }
  server.addService(definition as grpc.ServiceDefinition, implementation as grpc.UntypedServiceImplementation);
  const target = `unix:${join(dir, "gw.sock")}`;
  await new Promise<void>((resolve, reject) => server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  const client = GatewayClient.connect(target);
  return {
    client,
    close() {
      client.close();
      server.forceShutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A SolveResponse for a single ref, shaped as BuildKit's gateway shapes it (frontend/gateway/gateway.go,
 * `Solve`): the ref with its definition when the request allows array refs, else the bare id.
 */
export function solveResponse(request: InstanceType<typeof gw.SolveRequest>, id: string, def?: InstanceType<typeof pb.Definition>) {
  const result = request.allowResultArrayRef ? new gw.Result({ ref: new gw.Ref({ id, ...(def && { def }) }) }) : new gw.Result({ refDeprecated: id });
  return new gw.SolveResponse({ result });
}
