import * as grpc from "@grpc/grpc-js";
import type { DefinitionProto } from "../../llb/index.js";
import { moby } from "./proto/github.com/moby/buildkit/frontend/gateway/pb/gateway.js";
import { google } from "./proto/google/rpc/status.js";
import { listenStdioBridge } from "./stdio.js";

export const gw = moby.buildkit.v1.frontend;
export type SolveRequest = InstanceType<typeof gw.SolveRequest>;
export type Result = InstanceType<typeof gw.Result>;
export type PongResponse = InstanceType<typeof gw.PongResponse>;
export type Stat = NonNullable<InstanceType<typeof gw.StatFileResponse>["stat"]>;
export type RpcStatus = InstanceType<typeof google.rpc.Status>;

const SERVICE = "/moby.buildkit.v1.frontend.LLBBridge/";
const MiB = 1 << 20;

/** A failed gateway call, with BuildKit's rich status (source ranges, vertex digests) when it sent one. */
export class GatewayError extends Error {
  override readonly name = "GatewayError" as const;
  constructor(
    readonly method: string,
    readonly status: RpcStatus,
  ) {
    super(status.message);
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof Error && e.name === "GatewayError";
}

interface Message {
  serializeBinary(): Uint8Array;
}

/**
 * The LLBBridge client, over one HTTP/2 connection on stdio (or any grpc-js target in tests).
 * Every call has a deadline: a stuck daemon ends the build with an error instead of hanging CI.
 */
export class GatewayClient {
  private readonly client: grpc.Client;

  private constructor(target: string) {
    const channelOptions: grpc.ChannelOptions = {
      // BuildKit accepts 16 MiB since v0.14 (4 MiB before); grpc-js's own default receive limit is 4 MiB.
      "grpc.max_receive_message_length": 16 * MiB,
      "grpc.max_send_message_length": 16 * MiB,
      // The stdio connection cannot be re-established, so it must never be closed for idleness.
      "grpc.client_idle_timeout_ms": 2 ** 31 - 1,
      "grpc.enable_retries": 0,
    };
    const channel = new grpc.Channel(target, grpc.credentials.createInsecure(), channelOptions);
    this.client = new grpc.Client(target, grpc.credentials.createInsecure(), { channelOverride: channel });
  }

  /** Connects to BuildKit over this process's stdin/stdout. */
  static async overStdio(): Promise<GatewayClient> {
    return new GatewayClient(await listenStdioBridge());
  }

  /** Connects to a grpc-js target (tests run a fake LLBBridge server on a unix socket). */
  static connect(target: string): GatewayClient {
    return new GatewayClient(target);
  }

  close(): void {
    this.client.close();
  }

  private call<Res>(method: string, request: Message, decode: (b: Uint8Array) => Res, timeoutSeconds = 3600): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest<Message, Res>(
        SERVICE + method,
        (m) => Buffer.from(m.serializeBinary()),
        (b) => decode(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutSeconds * 1000 },
        (err, res) => (err ? reject(toGatewayError(method, err)) : resolve(res!)),
      );
    });
  }

  ping(): Promise<PongResponse> {
    return this.call("Ping", new gw.PingRequest(), gw.PongResponse.deserializeBinary, 15);
  }

  async solve(request: SolveRequest): Promise<Result> {
    const res = await this.call("Solve", request, gw.SolveResponse.deserializeBinary);
    return res.result ?? new gw.Result();
  }

  resolveImageConfig(request: InstanceType<typeof gw.ResolveImageConfigRequest>) {
    return this.call("ResolveImageConfig", request, gw.ResolveImageConfigResponse.deserializeBinary, 600);
  }

  resolveSourceMeta(request: InstanceType<typeof gw.ResolveSourceMetaRequest>) {
    return this.call("ResolveSourceMeta", request, gw.ResolveSourceMetaResponse.deserializeBinary, 600);
  }

  /**
   * Reads a whole file of a solved ref. Files over `chunkBytes` are read in ranges, because a response must
   * fit in one gRPC message (16 MiB; 4 MiB on BuildKit < 0.14).
   */
  async readFile(ref: string, path: string, options: { size?: number; chunkBytes?: number } = {}): Promise<Uint8Array> {
    const chunk = options.chunkBytes ?? 4 * MiB - 64 * 1024;
    if (options.size !== undefined && options.size <= chunk) {
      return (await this.call("ReadFile", new gw.ReadFileRequest({ Ref: ref, FilePath: path }), gw.ReadFileResponse.deserializeBinary)).Data;
    }
    const parts: Uint8Array[] = [];
    let offset = 0;
    let total = 0;
    for (;;) {
      const res = await this.call(
        "ReadFile",
        new gw.ReadFileRequest({ Ref: ref, FilePath: path, Range: new gw.FileRange({ Offset: offset, Length: chunk }) }),
        gw.ReadFileResponse.deserializeBinary,
      );
      parts.push(res.Data);
      total += res.Data.length;
      offset += res.Data.length;
      if (res.Data.length < chunk) break;
    }
    return concat(parts, total);
  }

  async readDir(ref: string, dir: string, includePattern = ""): Promise<Stat[]> {
    const res = await this.call("ReadDir", new gw.ReadDirRequest({ Ref: ref, DirPath: dir, IncludePattern: includePattern }), gw.ReadDirResponse.deserializeBinary);
    return res.entries;
  }

  async statFile(ref: string, path: string): Promise<Stat | undefined> {
    const res = await this.call("StatFile", new gw.StatFileRequest({ Ref: ref, Path: path }), gw.StatFileResponse.deserializeBinary);
    return res.stat;
  }

  async evaluate(ref: string): Promise<void> {
    await this.call("Evaluate", new gw.EvaluateRequest({ Ref: ref }), gw.EvaluateResponse.deserializeBinary);
  }

  async inputs(): Promise<Map<string, DefinitionProto>> {
    const res = await this.call("Inputs", new gw.InputsRequest(), gw.InputsResponse.deserializeBinary, 60);
    return res.Definitions;
  }

  async warn(request: InstanceType<typeof gw.WarnRequest>): Promise<void> {
    await this.call("Warn", request, gw.WarnResponse.deserializeBinary, 60);
  }

  async return(request: InstanceType<typeof gw.ReturnRequest>): Promise<void> {
    await this.call("Return", request, gw.ReturnResponse.deserializeBinary, 120);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Keeps BuildKit's google.rpc.Status (with errdefs details) so that Return can forward it unchanged. */
function toGatewayError(method: string, err: grpc.ServiceError): GatewayError {
  const details = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (details instanceof Buffer) {
    try {
      return new GatewayError(method, google.rpc.Status.deserializeBinary(new Uint8Array(details)));
    } catch {
      // fall through to the plain status
    }
  }
  return new GatewayError(method, new google.rpc.Status({ code: err.code, message: err.details || err.message }));
}
