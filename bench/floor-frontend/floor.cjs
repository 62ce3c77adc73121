// The floor for a Node frontend: the least a gateway frontend can do (one Return with an empty result,
// over node:http2 alone, nothing loaded but Node's builtins). bench/spine-cached.mjs measures it like any
// frontend (`--frontend` with this image), so a rebuild's cost outside slipway's own work is known.
"use strict";
const http2 = require("node:http2");
const { Duplex } = require("node:stream");

const session = http2.connect("http://localhost", { createConnection: () => Duplex.from({ readable: process.stdin, writable: process.stdout }) });
// ReturnRequest { result: Result {} }: field 1, length 0; framed as one uncompressed gRPC message.
const message = Buffer.from([0x0a, 0x00]);
const frame = Buffer.alloc(5 + message.length);
frame.writeUInt32BE(message.length, 1);
message.copy(frame, 5);
const call = session.request({
  ":method": "POST",
  ":path": "/moby.buildkit.v1.frontend.LLBBridge/Return",
  "content-type": "application/grpc",
  te: "trailers",
});
call.on("response", () => {});
call.on("data", () => {});
call.on("trailers", (t) => {
  if (t["grpc-status"] !== "0") process.stderr.write(`floor: Return: ${t["grpc-status"]} ${t["grpc-message"] ?? ""}\n`);
});
call.on("close", () => process.stdout.write("", () => process.exit(0)));
call.end(frame);
