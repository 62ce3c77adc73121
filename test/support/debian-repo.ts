import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import * as openpgp from "openpgp";

/**
 * A self-contained, signed Debian repository for tests: a throwaway OpenPGP key, a few .debs built with
 * `dpkg-deb --build` (dependencies among them, a Pre-Depends, a virtual package, maintainer scripts that
 * leave a marker file), Packages and Sources indexes (plain and .gz or .xz, also by hash), .dsc/.orig/.debian
 * source files, and a Release signed into InRelease, served over http on 127.0.0.1 by a child process (so
 * a test may block on `spawnSync("docker", ["buildx", …])` while BuildKit downloads from it).
 *
 * Every postinst writes `/var/lib/slipway-test/<package>.configured`, so a test can check that
 * maintainer scripts ran; `hello-slipway` installs `/usr/bin/hello-slipway`, which prints
 * "hello from slipway".
 */
export interface DebianRepo {
  /** Repository URI (use as `uri`), e.g. `http://127.0.0.1:41234/debian`. */
  readonly url: string;
  readonly suite: string;
  readonly components: readonly string[];
  readonly armoredPublicKey: string;
  /** Lowercase hex fingerprint of the signing key. */
  readonly fingerprint: string;
  readonly debs: readonly RepoDeb[];
  /** Paths requested so far (relative to the server root, e.g. `/debian/dists/…/InRelease`), read from the server's log. */
  readonly requests: readonly string[];
  /** The repository's files on disk. */
  readonly dir: string;
  close(): Promise<void>;
}

export interface RepoDeb {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** Path under `url`. */
  readonly filename: string;
  readonly sha256: string;
  readonly size: number;
  readonly source: string;
}

export interface DebianRepoOptions {
  readonly suite: string;
  readonly codename: string;
  /** Serve this package's .deb with bytes that differ from the index. */
  readonly tamperDeb?: string;
  /**
   * Text written into every package, so its .debs (and their sha256) differ from other repositories'.
   * BuildKit keeps downloads by checksum: without a salt, a .deb fetched earlier with the same sha256 is
   * reused, and a test of what a download does would not download.
   */
  readonly salt?: string;
  /** `tampered`: InRelease altered after signing; `wrong-key`: signed by another, untrusted key. */
  readonly badSignature?: "tampered" | "wrong-key";
  /** How the Packages and Sources indexes are compressed besides the plain ones (default gz). */
  readonly compression?: "gz" | "xz";
  /** Package names to leave out of the Sources index. */
  readonly withoutSource?: readonly string[];
  /** A `Valid-Until:` date for the Release file (RFC 2822, e.g. `Sat, 01 Jun 2024 00:00:00 UTC`). */
  readonly validUntil?: string;
}

const defaults: Readonly<DebianRepoOptions> = Object.freeze({ suite: "stable", codename: "slipway-test" });

interface PackageSpec {
  name: string;
  version: string;
  source?: string;
  sourceVersion?: string;
  fields?: Record<string, string>;
  files?: Record<string, string>;
}

/** The packages every repository carries. `libslipway1` comes in two versions. */
export const repoPackages: readonly PackageSpec[] = [
  {
    name: "hello-slipway",
    version: "1.0-1",
    fields: { Depends: "libslipway1 (>= 1.0), default-greeter | greeter" },
    files: { "usr/bin/hello-slipway": "#!/bin/sh\necho 'hello from slipway'\n" },
  },
  { name: "libslipway1", version: "1.0-1", source: "slipway-lib", fields: { "Pre-Depends": "slipway-base-tools" }, files: { "usr/share/slipway/lib.txt": "1.0\n" } },
  { name: "libslipway1", version: "1.1-1", source: "slipway-lib", fields: { "Pre-Depends": "slipway-base-tools" }, files: { "usr/share/slipway/lib.txt": "1.1\n" } },
  { name: "slipway-base-tools", version: "2.0-1", files: { "usr/share/slipway/base-tools.txt": "2.0\n" } },
  { name: "cheerful-greeter", version: "0.5-1", fields: { Provides: "greeter" }, files: { "usr/share/slipway/greeter.txt": "cheerful\n" } },
  { name: "broken-thing", version: "1.0-1", fields: { Depends: "libslipway1 (>= 9.0)" } },
  { name: "conflicted", version: "1.0-1", fields: { Conflicts: "cheerful-greeter" } },
];

/** Builds the repository in a temporary directory and serves it; `close()` stops the server and removes it. */
export async function startDebianRepo(options: Partial<DebianRepoOptions> = {}): Promise<DebianRepo> {
  const o = { ...defaults, ...options };
  const dir = mkdtempSync(join(tmpdir(), "slipway-repo-"));
  const root = join(dir, "debian");
  const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: "slipway test repository", email: "repo@slipway.invalid" }], format: "object" });
  const debs = repoPackages.map((spec) => buildDeb(root, o.salt ? { ...spec, files: { ...spec.files, [`usr/share/doc/${spec.name}/salt`]: `${o.salt}\n` } } : spec));
  const packagesText = debs.map((d) => d.stanza).join("\n");
  const sourcesText = sourcesIndex(root, o.withoutSource ?? []);
  const dist = join(root, "dists", o.suite);
  const ext = o.compression ?? "gz";
  // xz with the machine's own xz (xz-utils, as dpkg-deb above is dpkg's): the frontend's decompressor must
  // read what Debian's tools write
  const compress = (text: string): Buffer => (ext === "gz" ? gzipSync(text, { level: 9 }) : execFileSync("xz", ["-c", "-9"], { input: text }));
  const indexFiles: Record<string, Buffer> = {
    "main/binary-all/Packages": Buffer.from(packagesText),
    [`main/binary-all/Packages.${ext}`]: compress(packagesText),
    "main/source/Sources": Buffer.from(sourcesText),
    [`main/source/Sources.${ext}`]: compress(sourcesText),
  };
  // No-Support-for-Architecture-all is absent, so binary-all/Packages is where arch-all packages live;
  // an empty binary-<arch> index for the common architectures keeps apt itself happy too.
  for (const arch of ["amd64", "arm64"]) {
    indexFiles[`main/binary-${arch}/Packages`] = Buffer.from("");
    indexFiles[`main/binary-${arch}/Packages.${ext}`] = compress("");
  }
  const sums: string[] = [];
  for (const [path, bytes] of Object.entries(indexFiles)) {
    write(join(dist, path), bytes);
    const hash = sha256(bytes);
    write(join(dist, dirname(path), "by-hash", "SHA256", hash), bytes);
    sums.push(` ${hash} ${String(bytes.length).padStart(8)} ${path}`);
  }
  const release = [
    "Origin: slipway",
    "Label: slipway test",
    `Suite: ${o.suite}`,
    `Codename: ${o.codename}`,
    "Date: Sat, 01 Jun 2024 00:00:00 UTC",
    ...(o.validUntil ? [`Valid-Until: ${o.validUntil}`] : []),
    "Acquire-By-Hash: yes",
    "Architectures: all amd64 arm64",
    "Components: main",
    "Description: a repository made by slipway's tests",
    "SHA256:",
    ...sums,
    "",
  ].join("\n");
  write(join(dist, "Release"), Buffer.from(release));
  let inRelease = await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: release }), signingKeys: privateKey });
  if (o.badSignature === "tampered") inRelease = inRelease.replace("Label: slipway test", "Label: slipway tampered");
  if (o.badSignature === "wrong-key") {
    const { privateKey: other } = await openpgp.generateKey({ userIDs: [{ name: "someone else" }], format: "object" });
    inRelease = await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: release }), signingKeys: other });
  }
  write(join(dist, "InRelease"), Buffer.from(inRelease));

  const server = await serveFiles(dir, o.tamperDeb);
  return {
    url: `http://127.0.0.1:${server.port}/debian`,
    suite: o.suite,
    components: ["main"],
    armoredPublicKey: publicKey.armor(),
    fingerprint: publicKey.getFingerprint().toLowerCase(),
    debs: debs.map(({ stanza: _stanza, ...d }) => d),
    get requests() {
      return server.requests;
    },
    dir,
    close: server.close,
  };
}

/** A server of a repository's files: what a copy of the repository (a mirror) serves. */
export interface RepoServer {
  /** The URI a declaration would give, e.g. `http://127.0.0.1:41235/debian`. */
  readonly url: string;
  readonly requests: readonly string[];
  /** Stops the server and removes its copy of the files. */
  close(): Promise<void>;
}

/**
 * Serves a copy of `repo`'s files on another port, as a mirror of it would; with `tamperDeb`, that
 * package's .deb comes with bytes that differ from the signed index (a mirror serving other content).
 */
export async function serveRepoCopy(repo: Pick<DebianRepo, "dir">, options: { readonly tamperDeb?: string } = {}): Promise<RepoServer> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-repo-copy-"));
  cpSync(join(repo.dir, "debian"), join(dir, "debian"), { recursive: true });
  const server = await serveFiles(dir, options.tamperDeb);
  return {
    url: `http://127.0.0.1:${server.port}/debian`,
    get requests() {
      return server.requests;
    },
    close: server.close,
  };
}

async function serveFiles(dir: string, tamperDeb: string | undefined): Promise<{ port: number; readonly requests: string[]; close(): Promise<void> }> {
  // The server runs in a child process: tests drive builds with spawnSync (docker buildx), which blocks
  // this process's event loop, and BuildKit must still be able to download from the repository.
  const logPath = join(dir, "requests.log");
  writeFileSync(logPath, "");
  const child = spawn(process.execPath, ["-e", serverScript, dir, tamperDeb ?? "", logPath], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const m = /^listening (\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`the test repository server exited (${code}) before listening`)));
  });
  return {
    port,
    get requests() {
      return readFileSync(logPath, "utf8").split("\n").filter((l) => l !== "");
    },
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}

/** The static file server run by the child process: `node -e serverScript ROOT TAMPER_DEB LOG`. */
const serverScript = `
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const [root, tamperDeb, log] = process.argv.slice(1);
const server = http.createServer((req, res) => {
  const p = decodeURIComponent((req.url || "/").split("?")[0]);
  fs.appendFileSync(log, p + "\\n");
  if (p.includes("..")) return res.writeHead(400).end();
  let body;
  try { body = fs.readFileSync(path.join(root, p)); } catch { return res.writeHead(404).end("not found"); }
  if (tamperDeb && p.endsWith(".deb") && p.includes("/" + tamperDeb + "_")) body = Buffer.concat([body, Buffer.from("tampered")]);
  res.writeHead(200, { "content-length": body.length });
  res.end(req.method === "HEAD" ? undefined : body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write("listening " + server.address().port + "\\n"));
process.on("SIGTERM", () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

function buildDeb(root: string, spec: PackageSpec): RepoDeb & { stanza: string } {
  const source = spec.source ?? spec.name;
  const work = mkdtempSync(join(tmpdir(), "slipway-deb-"));
  try {
    const control = [
      `Package: ${spec.name}`,
      `Version: ${spec.version}`,
      "Architecture: all",
      "Maintainer: slipway tests <tests@slipway.invalid>",
      ...(spec.source ? [`Source: ${spec.source}`] : []),
      ...Object.entries(spec.fields ?? {}).map(([k, v]) => `${k}: ${v}`),
      `Description: ${spec.name}, a package made by slipway's tests`,
      "",
    ].join("\n");
    write(join(work, "DEBIAN", "control"), Buffer.from(control));
    const postinst = `#!/bin/sh\nset -e\nmkdir -p /var/lib/slipway-test\necho "$1 ${spec.version}" > /var/lib/slipway-test/${spec.name}.configured\n`;
    write(join(work, "DEBIAN", "postinst"), Buffer.from(postinst));
    chmodSync(join(work, "DEBIAN", "postinst"), 0o755);
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      write(join(work, path), Buffer.from(content));
      if (path.startsWith("usr/bin/")) chmodSync(join(work, path), 0o755);
    }
    const filename = `pool/main/${source[0]}/${source}/${spec.name}_${spec.version}_all.deb`;
    mkdirSync(dirname(join(root, filename)), { recursive: true });
    execFileSync("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", work, join(root, filename)], {
      stdio: "pipe",
      env: { ...process.env, SOURCE_DATE_EPOCH: "1717200000" },
    });
    const bytes = readFileSync(join(root, filename));
    const sha = sha256(bytes);
    const stanza = `${control.trimEnd()}\nFilename: ${filename}\nSize: ${bytes.length}\nSHA256: ${sha}\n`;
    return { name: spec.name, version: spec.version, architecture: "all", filename, sha256: sha, size: bytes.length, source, stanza };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One Sources stanza per source version, with a .dsc, an .orig.tar.gz and a .debian.tar.xz in the pool. */
function sourcesIndex(root: string, without: readonly string[]): string {
  const seen = new Set<string>();
  const stanzas: string[] = [];
  for (const spec of repoPackages) {
    if (without.includes(spec.name)) continue;
    const source = spec.source ?? spec.name;
    const version = spec.sourceVersion ?? spec.version;
    if (seen.has(`${source} ${version}`)) continue;
    seen.add(`${source} ${version}`);
    const upstream = version.replace(/-[^-]*$/, "");
    const directory = `pool/main/${source[0]}/${source}`;
    const files: [string, Buffer][] = [
      [`${source}_${upstream}.orig.tar.gz`, gzipSync(`${source} ${upstream} upstream sources\n`)],
      [`${source}_${version}.debian.tar.xz`, Buffer.from(`${source} ${version} packaging\n`)],
    ];
    const dsc = `Format: 3.0 (quilt)\nSource: ${source}\nVersion: ${version}\nFiles:\n${files.map(([n, b]) => ` ${md5(b)} ${b.length} ${n}`).join("\n")}\n`;
    files.unshift([`${source}_${version}.dsc`, Buffer.from(dsc)]);
    for (const [name, bytes] of files) write(join(root, directory, name), bytes);
    stanzas.push(
      [
        `Package: ${source}`,
        `Binary: ${repoPackages.filter((p) => (p.source ?? p.name) === source).map((p) => p.name).filter((n, i, a) => a.indexOf(n) === i).join(", ")}`,
        `Version: ${version}`,
        `Directory: ${directory}`,
        "Checksums-Sha256:",
        ...files.map(([n, b]) => ` ${sha256(b)} ${b.length} ${n}`),
        "",
      ].join("\n"),
    );
  }
  return stanzas.join("\n");
}

function write(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}
