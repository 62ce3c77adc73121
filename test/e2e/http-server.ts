import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A static http server on 127.0.0.1 for files the builds download. BuildKit fetches http sources from the
 * daemon, which runs in the host's network namespace here, so loopback works. Counts requests per path.
 */
export interface TestHttpServer {
  readonly url: string;
  readonly hits: Map<string, number>;
  set(path: string, body: string | Uint8Array): void;
  close(): Promise<void>;
}

export async function startHttpServer(files: Record<string, string | Uint8Array> = {}): Promise<TestHttpServer> {
  const content = new Map(Object.entries(files).map(([p, b]) => [p.startsWith("/") ? p : `/${p}`, b]));
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = content.get(path);
    if (body === undefined) {
      res.writeHead(404).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    set: (path, body) => void content.set(path.startsWith("/") ? path : `/${path}`, body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
