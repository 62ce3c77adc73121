import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http2";
import { join } from "node:path";
import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";

const DIST = join(import.meta.dirname, "../../dist/frontend");
const BLOB = join(DIST, "frontend.blob");

interface Life {
  readonly code: number | null;
  readonly methods: readonly string[];
  /** The Return request's bytes (its error message is in them as UTF-8). */
  readonly returned: string;
  readonly stderr: string;
}

/**
 * One frontend life as the image starts it (`node --snapshot-blob frontend.blob frontend.cjs`), with
 * BuildKit's gateway played on its stdin/stdout: HTTP/2, each call answered with an empty message (a
 * PongResponse without caps, an empty ReturnResponse). Anything on stdout that is not HTTP/2 breaks it.
 */
function life(env: Record<string, string>): Promise<Life> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--snapshot-blob", BLOB, join(DIST, "frontend.cjs")], { stdio: ["pipe", "pipe", "pipe"], env });
    let stderr = "";
    child.stderr.on("data", (b) => (stderr += b));
    const methods: string[] = [];
    let returned = "";
    const server = createServer();
    server.on("stream", (stream, headers) => {
      const method = String(headers[":path"]).split("/").pop()!;
      methods.push(method);
      const body: Buffer[] = [];
      stream.on("data", (b: Buffer) => body.push(b));
      stream.on("end", () => {
        if (method === "Return") returned = Buffer.concat(body).toString("utf8");
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    server.emit("connection", Duplex.from({ readable: child.stdout, writable: child.stdin }));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, methods, returned, stderr }));
  });
}

describe.skipIf(!existsSync(BLOB))("the frontend's startup snapshot (npm run build)", () => {
  it("runs a whole frontend life: grpc-js loaded after the snapshot, with its code cache, and only HTTP/2 on stdout", async () => {
    const r = await life({});
    expect(r.code, r.stderr).toBe(0);
    // the declaration's Solve goes out beside Ping (frontend/load), before the caps are known
    expect([...r.methods].sort()).toEqual(["Ping", "Return", "Solve"]);
    expect(r.methods.at(-1)).toBe("Return");
    // BuildKit's answer had no capabilities: the frontend says which one it lacks
    expect(r.returned).toContain("lacks the gateway capability");
    expect(r.stderr).not.toContain("code cache");
  });

  it("reads its options from the environment it starts in, not the one it was made in", async () => {
    const r = await life({ BUILDKIT_FRONTEND_OPT_0: "image-resolve-mode=sometimes" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.methods).toEqual(["Return"]);
    expect(r.returned).toContain('invalid option: image-resolve-mode must be default, pull or local, not "sometimes"');
  });
});
