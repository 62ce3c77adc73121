// Preloaded (NODE_OPTIONS=--require) into the frontend's process by bench/frontend-trace.mjs, never part of
// the real image. It records, relative to the process's start (performance.timeOrigin): when node is
// ready to load the frontend, the HTTP/2 connection, and every gRPC call's start, response headers and
// end; with SLIPWAY_TRACE_PROFILE=1 also a CPU profile, summarised by bundle module and by function.
// At exit it writes one line, `slipway-trace <json>`, to stderr, which BuildKit copies to the daemon's log.
"use strict";
const fs = require("node:fs");
const http2 = require("node:http2");
const path = require("node:path");
const { performance } = require("node:perf_hooks");

const now = () => Math.round(performance.now() * 10) / 10;
const trace = { preload: now(), connect: undefined, calls: [], cpu: undefined, profile: undefined };

const connect = http2.connect;
http2.connect = function (...args) {
  trace.connect = now();
  const session = connect.apply(this, args);
  const request = session.request;
  session.request = function (headers, ...rest) {
    const call = { method: String(headers[":path"]).split("/").pop(), start: now(), response: undefined, end: undefined };
    trace.calls.push(call);
    const stream = request.call(this, headers, ...rest);
    stream.once("response", () => (call.response = now()));
    stream.once("close", () => (call.end = now()));
    return stream;
  };
  return session;
};

let profiler;
if (process.env.SLIPWAY_TRACE_PROFILE === "1") {
  const inspector = require("node:inspector");
  profiler = new inspector.Session();
  profiler.connect();
  profiler.post("Profiler.enable");
  profiler.post("Profiler.setSamplingInterval", { interval: 250 });
  profiler.post("Profiler.start");
}

// The frontend ends with process.exit, which runs no asynchronous work: hook the exit itself.
const reallyExit = process.reallyExit;
process.reallyExit = function (code) {
  const usage = process.cpuUsage();
  trace.exit = now();
  trace.cpu = { userMs: Math.round(usage.user / 1000), systemMs: Math.round(usage.system / 1000) };
  if (profiler) {
    // a same-thread inspector session answers synchronously
    profiler.post("Profiler.stop", (err, result) => {
      if (!err) trace.profile = summarise(result.profile);
    });
  }
  fs.writeSync(2, `\nslipway-trace ${JSON.stringify(trace)}\n`);
  return reallyExit.call(process, code);
};

/** Self time by bundle module (the `// path` comments esbuild writes) and by function, in ms. */
function summarise(profile) {
  const modules = new Map();
  const moduleOf = (url, line) => {
    // the frontend names its bundle's script "<dir>/app.cjs"; the file is beside the entry
    const file = path.join(path.dirname(process.argv[1]), path.basename(url));
    if (!url.endsWith(".cjs") || !fs.existsSync(file)) return url || "(native)";
    if (!modules.has(file)) {
      const starts = [];
      fs.readFileSync(file, "latin1")
        .split("\n")
        .forEach((text, i) => {
          const m = /^\/\/ (\S+)$/.exec(text);
          if (m) starts.push([i, /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m[1])?.[1] ?? m[1].replace(/^(\.\.\/)+/, "")]);
        });
      modules.set(file, starts);
    }
    let name = `${path.basename(file)} prelude`;
    for (const [start, m] of modules.get(file)) {
      if (start > line) break;
      name = m;
    }
    return name;
  };
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byModule = new Map();
  const byFunction = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (us === 0 || functionName === "(idle)") continue;
    const mod = moduleOf(url, lineNumber);
    add(byModule, mod, us);
    add(byFunction, `${functionName || "(anonymous)"} ${mod}:${lineNumber + 1}`, us);
  }
  const top = (map, n) => Object.fromEntries([...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round(v / 100) / 10]));
  return { modules: top(byModule, 40), functions: top(byFunction, 40) };
}
