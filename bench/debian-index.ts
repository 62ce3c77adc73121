/**
 * How long the Debian machinery takes on real indexes: bookworm's main Packages (~50 MB) and Sources
 * (~50 MB), fetched once from the mirror in this machine's apt configuration, then parsed and resolved
 * in memory several times (median reported). Run:
 *
 *   npx esbuild bench/debian-index.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=/tmp/debian-index.mjs && node /tmp/debian-index.mjs
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { reasonOf } from "../grammar/index.js";
import { nodeFetcher } from "../frontend/debian/index.js";
import { chooseIndexFile, verifyInRelease } from "../frontend/debian/inrelease.js";
import { readKeyring } from "../frontend/debian/keyring.js";
import { parsePackagesIndex } from "../frontend/debian/packages.js";
import { distsUrl, indexText } from "../frontend/debian/repository.js";
import { resolvePackages } from "../frontend/debian/resolve.js";
import { parseSourcesIndex } from "../frontend/debian/sources.js";
import { parseStatus } from "../frontend/debian/status.js";
import { Universe } from "../frontend/debian/universe.js";

function mirror(): string {
  for (const f of readdirSync("/etc/apt/sources.list.d").filter((n) => n.endsWith(".sources"))) {
    const m = /^URIs:\s*(\S+)/m.exec(readFileSync(`/etc/apt/sources.list.d/${f}`, "utf8"));
    if (m && !m[1]!.includes("security")) return m[1]!;
  }
  const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(readFileSync("/etc/apt/sources.list", "utf8"));
  if (!line) throw new Error("no apt mirror configured on this machine");
  return line[1]!;
}

function median(label: string, runs: number, f: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  const m = times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  console.log(`${label.padEnd(44)} ${m.toFixed(0).padStart(6)} ms   (median of ${runs})`);
  return m;
}

const uri = mirror();
const fetcher = nodeFetcher();
const keys = await readKeyring(readFileSync("/usr/share/keyrings/debian-archive-keyring.gpg"), "debian-archive-keyring.gpg");
const inRelease = new TextDecoder().decode(await fetcher.fetch(distsUrl(uri, "bookworm", "InRelease")));
let t = performance.now();
const verified = await verifyInRelease(inRelease, keys);
console.log(`${"verify InRelease (OpenPGP)".padEnd(44)} ${(performance.now() - t).toFixed(0).padStart(6)} ms`);
if (verified.value === undefined) throw new Error(reasonOf(verified));
const { release } = verified.value;
const fetchIndex = async (path: string) => {
  const c = chooseIndexFile(release, path);
  const file = c.value;
  if (file === undefined) throw new Error(reasonOf(c));
  return fetcher.fetch(distsUrl(uri, "bookworm", file.byHashPath ?? file.path), { sha256: file.sha256, size: file.size });
};
const [packagesGz, sourcesGz] = await Promise.all([fetchIndex("main/binary-amd64/Packages"), fetchIndex("main/source/Sources")]);
console.log(`Packages.gz ${(packagesGz.length / 1e6).toFixed(1)} MB, Sources.gz ${(sourcesGz.length / 1e6).toFixed(1)} MB`);

let packagesText = "";
let sourcesText = "";
median("gunzip + decode Packages", 5, () => (packagesText = indexText(gunzipSync(packagesGz))));
median("gunzip + decode Sources", 5, () => (sourcesText = indexText(gunzipSync(sourcesGz))));
console.log(`Packages ${(packagesText.length / 1e6).toFixed(1)} MB, Sources ${(sourcesText.length / 1e6).toFixed(1)} MB`);
let packages = parsePackagesIndex(packagesText, { architectures: new Set(["amd64", "all"]), origin: 0 });
median(`parse Packages (${packages.length} stanzas)`, 5, () => (packages = parsePackagesIndex(packagesText, { architectures: new Set(["amd64", "all"]), origin: 0 })));
median("parse Sources (all stanzas)", 5, () => parseSourcesIndex(sourcesText, uri));
const wanted = new Set(["curl", "git", "jq", "openssh", "ca-certificates", "nghttp2", "openldap", "krb5", "libssh2", "perl"]);
median(`parse Sources (${wanted.size} wanted names)`, 5, () => parseSourcesIndex(sourcesText, uri, wanted));

let statusText: string;
try {
  statusText = execFileSync("docker", ["run", "--rm", "debian:bookworm", "cat", "/var/lib/dpkg/status"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
} catch {
  statusText = readFileSync("/var/lib/dpkg/status", "utf8");
}
const base = parseStatus(statusText);
median("index the universe", 5, () => new Universe("amd64", base, [packages]));
const sets: Record<string, string[]> = {
  "debian-tools (5 requested)": ["ca-certificates", "curl", "git", "jq", "openssh-client"],
  "nodejs + npm": ["nodejs", "npm"],
  "build-essential + default-jre-headless": ["build-essential", "default-jre-headless"],
};
for (const [label, names] of Object.entries(sets)) {
  let count = 0;
  median(`resolve ${label}`, 5, () => {
    const u = new Universe("amd64", base, [packages]);
    count = resolvePackages(u, names.map((name) => ({ name })), { installRecommends: false }).install.length;
  });
  console.log(`  → ${count} packages`);
}
