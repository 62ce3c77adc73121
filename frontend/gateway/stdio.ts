import { randomBytes } from "node:crypto";
import * as net from "node:net";
import type { Readable, Writable } from "node:stream";

/**
 * BuildKit runs a gateway frontend with its gRPC server on the other end of the process's stdin and
 * stdout: HTTP/2 with prior knowledge, one connection, no reconnect. @grpc/grpc-js can only dial sockets
 * (grpc/grpc-node#2038), so we listen once on a Linux abstract-namespace unix socket (no file to clean
 * up) and splice the first connection onto stdio. Any later connection attempt is refused: a reconnect
 * would write a second HTTP/2 preface into a stream that already has one.
 *
 * Returns the grpc-js target to dial.
 */
export function listenStdioBridge(stdin: Readable = process.stdin, stdout: Writable = process.stdout): Promise<string> {
  const name = `\0slipway-${process.pid}-${randomBytes(6).toString("hex")}`;
  return new Promise((resolve, reject) => {
    let used = false;
    const server = net.createServer((socket) => {
      if (used) {
        socket.destroy();
        return;
      }
      used = true;
      server.close();
      stdin.pipe(socket);
      // Never end our stdout: BuildKit reads the response trailers of the last call after we finish writing.
      socket.pipe(stdout, { end: false });
      socket.on("error", () => {}); // grpc-js reports a broken transport as UNAVAILABLE itself
      socket.on("close", () => stdin.unpipe(socket));
    });
    server.on("error", reject);
    server.listen(name, () => resolve(`unix:${name}`));
  });
}
