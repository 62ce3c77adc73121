import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFetcher, resolveApt, type Fetcher, type FetchExpectation, type ImageFiles } from "../../frontend/debian/index.js";
import { aptBlock } from "../debian/model.js";

/**
 * slipway's resolver against apt itself: in one debian:bookworm container, `apt-get update` once, then
 * for each package set compare what `apt-get install --no-install-recommends -s` would install with what
 * resolveApt chooses from the same base (the container's dpkg status, sources and keyrings) and the same
 * indexes (fetched with Node from the mirror in the container's sources list).
 */
const image = process.env.SLIPWAY_APT_IMAGE ?? "debian:bookworm";

const packageSets: Record<string, string[]> = {
  "web server (nginx)": ["nginx"],
  "web server (apache2)": ["apache2"],
  "language runtime (python3)": ["python3"],
  "language runtime (ruby)": ["ruby"],
  "build tools": ["build-essential"],
  "java headless": ["default-jre-headless"],
  "git and ssh": ["git", "openssh-client"],
  "postgresql client": ["postgresql-client"],
  "curl and certificates": ["curl", "ca-certificates"],
  "mail-transport-agent consumer (virtual)": ["bsd-mailx"],
  "alternatives among SAPIs (php)": ["php"],
  "awk and friends": ["gawk", "autoconf"],
  "the debian-tools example": ["ca-certificates", "curl", "git", "jq", "openssh-client"],
  "networking tools": ["iproute2", "iputils-ping", "dnsutils", "netcat-openbsd"],
  "editor with alternatives (vim)": ["vim"],
  "virtual client (default-mysql-client)": ["default-mysql-client"],
  "hundreds of dependencies (npm)": ["nodejs", "npm"],
  "pinned version": ["jq=1.6-2.1+deb12u2", "curl"],
};

let container = "";

function docker(args: string[], input?: string): Buffer {
  return execFileSync("docker", args, { maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}), stdio: ["pipe", "pipe", "pipe"] });
}

function containerFiles(id: string): ImageFiles {
  return {
    async readFile(path) {
      try {
        return new Uint8Array(docker(["exec", id, "cat", path]));
      } catch {
        return undefined;
      }
    },
    async readDir(path) {
      try {
        return docker(["exec", id, "ls", "-1A", path]).toString("utf8").split("\n").filter((n) => n !== "");
      } catch {
        return undefined;
      }
    },
  };
}

/** One download per URL for the whole file: every package set reads the same indexes. */
function cachingFetcher(inner: Fetcher): Fetcher {
  const cache = new Map<string, Promise<Uint8Array>>();
  return {
    fetch(url: string, expect?: FetchExpectation) {
      const key = `${url} ${expect?.sha256 ?? ""}`;
      let p = cache.get(key);
      if (!p) cache.set(key, (p = inner.fetch(url, expect)));
      return p;
    },
  };
}

function aptChoice(packages: string[]): Map<string, string> {
  const out = docker(["exec", container, "apt-get", "install", "--no-install-recommends", "-s", "-q", ...packages]).toString("utf8");
  const chosen = new Map<string, string>();
  for (const line of out.split("\n")) {
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) /.exec(line);
    if (m) chosen.set(m[1]!.replace(/:amd64$/, ""), m[2]!);
  }
  return chosen;
}

describe("resolver against apt-get on debian:bookworm", () => {
  const fetcher = cachingFetcher(nodeFetcher());
  let files: ImageFiles;
  let architecture = "";

  beforeAll(() => {
    container = docker(["run", "-d", "--rm", image, "sleep", "3600"]).toString("utf8").trim();
    docker(["exec", container, "apt-get", "update", "-q"]);
    architecture = docker(["exec", container, "dpkg", "--print-architecture"]).toString("utf8").trim();
    files = containerFiles(container);
  });

  afterAll(() => {
    if (container) docker(["rm", "-f", container]);
  });

  for (const [label, packages] of Object.entries(packageSets)) {
    it(`${label}: ${packages.join(" ")}`, async () => {
      const expected = aptChoice(packages);
      expect(expected.size).toBeGreaterThan(0);
      const specs = packages.map((p) => {
        const [name, version] = p.split("=");
        return version ? { name: name!, version } : name!;
      });
      const { value: resolution, diagnostics } = await resolveApt({ apt: [aptBlock(specs)], architecture }, { fetcher, base: files });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const ours = new Map(resolution!.packages.map((p) => [p.name, p.version]));
      const onlyApt = [...expected].filter(([n, v]) => ours.get(n) !== v).map(([n, v]) => `${n}=${v}`);
      const onlyOurs = [...ours].filter(([n, v]) => expected.get(n) !== v).map(([n, v]) => `${n}=${v}`);
      expect({ onlyApt, onlyOurs }).toEqual({ onlyApt: [], onlyOurs: [] });
    });
  }
});
