// The frontend process's own start-up, without Docker: spawns `node <entry>` with a stand-in for BuildKit's
// gateway server on its stdin/stdout (HTTP/2, prior knowledge, as BuildKit speaks it) and times, per run,
// process spawn → the Ping request arriving (node start, module evaluation, stdio bridge, HTTP/2
// connection) and spawn → exit. The stand-in answers Ping with no capabilities, so the frontend returns
// its "BuildKit lacks a capability" error and exits: a whole, short frontend life.
//
//   npm run build && node bench/frontend-start.mjs [--runs 40] [--entry dist/frontend/frontend.blob[,other.cjs…]]
//
// An entry ending in `.blob` is a startup snapshot, started as the image starts it:
// `node --snapshot-blob <dir>/frontend.blob <dir>/frontend.cjs`; any other is a script `node` runs.
//
// Several entries are measured interleaved (A/B). Plain Node, no Docker; quieter than the container bench,
// so it is the one to compare bundling choices with.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createServer } from "node:http2";
import { Duplex } from "node:stream";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "40" }, entry: { type: "string", default: "dist/frontend/frontend.blob" } },
});
const runs = Number(args.runs);
const entries = args.entry.split(",");
// CPU time is steadier than wall time on a busy 2-core machine: the child reports its own at exit.
const cpuReport = join(tmpdir(), `slipway-cpu-report-${process.pid}.cjs`);
writeFileSync(cpuReport, `process.on("exit", () => { const u = process.cpuUsage(); require("node:fs").writeSync(2, "\\ncpu-ms " + (u.user + u.system) / 1000 + "\\n"); });`);

/** One frontend life; resolves with milliseconds from spawn to Ping and to exit. */
function life(entry) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - start) / 1e6;
    const args = entry.endsWith(".blob") ? ["--snapshot-blob", entry, join(dirname(entry), "frontend.cjs")] : [entry];
    const child = spawn(process.execPath, ["--require", cpuReport, ...args], { stdio: ["pipe", "pipe", "pipe"], env: {} });
    let stderr = "";
    child.stderr.on("data", (b) => (stderr += b));
    let pingMs;
    let returned = false;
    const server = createServer();
    server.on("stream", (stream, headers) => {
      const method = String(headers[":path"]).split("/").pop();
      if (method === "Ping") pingMs ??= since();
      if (method === "Return") returned = true;
      stream.on("data", () => {});
      stream.on("end", () => {
        // an empty message of any type: a PongResponse without caps, an empty ReturnResponse
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    server.emit("connection", Duplex.from({ readable: child.stdout, writable: child.stdin }));
    child.on("error", reject);
    child.on("exit", (code) => {
      const exitMs = since();
      if (pingMs === undefined || !returned) reject(new Error(`${entry} exited ${code} without Ping and Return:\n${stderr}`));
      else resolve({ pingMs, exitMs, cpuMs: Number(/cpu-ms (\S+)/.exec(stderr)?.[1]) });
    });
  });
}

const samples = new Map(entries.map((e) => [e, []]));
for (const e of entries) await life(e); // warm the page cache
for (let i = 0; i < runs; i++) for (const e of i % 2 ? [...entries].reverse() : entries) samples.get(e).push(await life(e));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `min ${s[0].toFixed(1)}  p50 ${q(0.5).toFixed(1)}  p90 ${q(0.9).toFixed(1)} ms`;
};
console.log(`node ${process.version}, ${runs} runs each, interleaved`);
for (const [e, xs] of samples) {
  console.log(`${e}\n  spawn → Ping  ${stats(xs.map((x) => x.pingMs))}\n  spawn → exit  ${stats(xs.map((x) => x.exitMs))}\n  CPU (user+sys) ${stats(xs.map((x) => x.cpuMs))}`);
}
rmSync(cpuReport, { force: true });
