import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

/**
 * Images for tests, built here from tar entries: a tar writer (ustar, pax for long names), and a registry
 * that serves the distribution API v2 either as a `fetch` function or over http on 127.0.0.1.
 */

export interface TarSpec {
  readonly name: string;
  readonly type?: "file" | "directory" | "symlink" | "hardlink";
  readonly content?: string | Uint8Array;
  /** Target of a link. */
  readonly link?: string;
  /** Header attributes; 0644, 0, 0 and 0 (1970) when absent. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
}

const BLOCK = 512;

/** An uncompressed tar of `entries`, in order, ending with the two zero blocks. */
export function tar(entries: readonly TarSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.content === "string" ? new TextEncoder().encode(e.content) : (e.content ?? new Uint8Array(0));
    const type = e.type ?? "file";
    const name = type === "directory" && !e.name.endsWith("/") ? `${e.name}/` : e.name;
    if (name.length > 100) {
      const record = paxRecord("path", name);
      parts.push(header("././@PaxHeader", "x", record.length, "", {}), padded(record));
    }
    const size = type === "file" ? data.length : 0;
    parts.push(header(name.slice(0, 100), { file: "0", directory: "5", symlink: "2", hardlink: "1" }[type], size, e.link ?? "", e));
    if (size > 0) parts.push(padded(data));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return concat(parts);
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return new TextEncoder().encode(`${length}${body}`);
}

function header(name: string, type: string, size: number, link: string, a: Pick<TarSpec, "mode" | "uid" | "gid" | "mtime">): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (text: string, at: number) => h.set(new TextEncoder().encode(text), at);
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width, "0")}\0`;
  put(name, 0);
  put(octal(a.mode ?? 0o644, 7), 100);
  put(octal(a.uid ?? 0, 7), 108);
  put(octal(a.gid ?? 0, 7), 116);
  put(`${size.toString(8).padStart(11, "0")}\0`, 124);
  put(octal(a.mtime ?? 0, 11), 136);
  put("        ", 148);
  put(type, 156);
  put(link, 157);
  put("ustar\0", 257);
  put("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export interface ImageSpec {
  /** Each layer's tar entries (or the blob's exact bytes), bottom first. */
  readonly layers: readonly (readonly TarSpec[] | Uint8Array)[];
  readonly platform?: string;
  /** Store layers uncompressed instead of gzip-compressed. */
  readonly plain?: boolean;
}

/** A registry holding repositories of manifests, indexes and blobs. */
export class TestRegistry {
  private readonly manifests = new Map<string, { bytes: Uint8Array; type: string }>();
  private readonly blobs = new Map<string, Uint8Array>();
  private readonly tags = new Map<string, string>();
  /** Every URL asked for, in order. */
  readonly requests: string[] = [];

  /** Adds an image manifest (and its config and layers); returns the manifest's digest. */
  image(repository: string, tag: string | undefined, spec: ImageSpec): string {
    const [os, architecture, variant] = (spec.platform ?? "linux/amd64").split("/");
    const layers = spec.layers.map((l) => this.blob(l instanceof Uint8Array ? l : spec.plain ? tar(l) : gzipSync(tar(l))));
    const config = this.blob(new TextEncoder().encode(JSON.stringify({ os, architecture, ...(variant && { variant }), config: {}, rootfs: { type: "layers", diff_ids: [] } })));
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
      layers: layers.map((l) => ({ mediaType: spec.plain ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.oci.image.layer.v1.tar+gzip", ...l })),
    };
    return this.manifest(repository, tag, manifest, manifest.mediaType);
  }

  /** Adds an index of `entries` (manifest digests with their platforms, or `unknown/unknown`). */
  index(repository: string, tag: string | undefined, entries: readonly { digest: string; platform: string }[]): string {
    const index = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: entries.map((e) => {
        const [os, architecture, variant] = e.platform.split("/");
        const known = this.manifests.get(e.digest)!;
        return { mediaType: known.type, digest: e.digest, size: known.bytes.length, platform: { os, architecture, ...(variant && { variant }) } };
      }),
    };
    return this.manifest(repository, tag, index, index.mediaType);
  }

  /** Replaces a stored blob's bytes (a damaged registry). */
  corrupt(digest: string): void {
    const bytes = this.blobs.get(digest)!.slice();
    bytes[bytes.length - 1]! ^= 0xff;
    this.blobs.set(digest, bytes);
  }

  blobOf(digest: string): Uint8Array | undefined {
    return this.blobs.get(digest);
  }

  manifestOf(digest: string): unknown {
    return JSON.parse(new TextDecoder().decode(this.manifests.get(digest)!.bytes));
  }

  private blob(bytes: Uint8Array): { digest: string; size: number } {
    const digest = sha256Digest(bytes);
    this.blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  }

  private manifest(repository: string, tag: string | undefined, json: unknown, type: string): string {
    const bytes = new TextEncoder().encode(JSON.stringify(json));
    const digest = sha256Digest(bytes);
    this.manifests.set(digest, { bytes, type });
    if (tag !== undefined) this.tags.set(`${repository}:${tag}`, digest);
    return digest;
  }

  /** Answers one request path (`/v2/REPO/manifests/REF`, `/v2/REPO/blobs/DIGEST`). */
  answer(path: string): { status: number; body: Uint8Array; type: string } {
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
    const none = { status: 404, body: new TextEncoder().encode('{"errors":[{"code":"NOT_FOUND"}]}'), type: "application/json" };
    if (!m) return none;
    const [, repository, kind, reference] = m as unknown as [string, string, string, string];
    if (kind === "blobs") {
      const blob = this.blobs.get(reference);
      return blob ? { status: 200, body: blob, type: "application/octet-stream" } : none;
    }
    const digest = reference.startsWith("sha256:") ? reference : this.tags.get(`${repository}:${reference}`);
    const manifest = digest === undefined ? undefined : this.manifests.get(digest);
    return manifest ? { status: 200, body: manifest.bytes, type: manifest.type } : none;
  }

  /** The registry as a `fetch` function, whatever the host. */
  readonly fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    this.requests.push(url.href);
    const a = this.answer(url.pathname);
    return new Response(a.body as Uint8Array<ArrayBuffer>, { status: a.status, headers: { "content-type": a.type } });
  };

  /** Serves the registry over http on 127.0.0.1; `host` is `127.0.0.1:PORT`. */
  async serve(): Promise<{ host: string; url: string; close(): Promise<void> }> {
    const server = createServer((req, res) => {
      this.requests.push(`http://${req.headers.host}${req.url}`);
      const a = this.answer(new URL(req.url ?? "/", "http://x").pathname);
      res.writeHead(a.status, { "content-type": a.type, "content-length": a.body.length });
      res.end(a.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { host, url: `http://${host}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
}
