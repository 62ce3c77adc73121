import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildx, dockerRun, frontendImage, imageConfig, must, project, run, runAsync, scratchDir, staticProbe, syntaxLine } from "./harness.js";
import { startHttpServer, type TestHttpServer } from "./http-server.js";

/**
 * The spine, end to end on a real BuildKit: the frontend image built from this checkout's Dockerfile, and
 * declarations built with it through `docker buildx build`, then run and inspected.
 */

function tarballWithProbe(dir: string): void {
  // ./bin/probe (0755) and a nested ./share/doc/probe/README (0444), with the "./" prefixes tar writes.
  must("sh", [
    "-c",
    `set -e; mkdir -p t/bin t/share/doc/probe; cp ${staticProbe()} t/bin/probe; chmod 0755 t/bin/probe; ` +
      `printf 'read me\\n' > t/share/doc/probe/README; chmod 0444 t/share/doc/probe/README; ` +
      `tar -C t -czf assets.tgz ./bin/probe ./share/doc/probe/README; rm -rf t`,
  ], { cwd: dir });
}

const scratchDeclaration = (syntax: string) => `${syntax}# a scratch image from a context tarball
image "probe" {
  base_image = "scratch"

  file "/usr/local/bin/probe" {
    from_tarball "assets.tgz" {
      path = "./bin/probe"
    }
  }
  file "/usr/share/doc/probe/README" {
    from_tarball "assets.tgz" {
      path = "share/doc/probe/README"
    }
  }

  entrypoint = ["/usr/local/bin/probe"]
  cmd        = ["env:PATH", "env:GREETING", "cat:/usr/share/doc/probe/README"]
  env        = { GREETING = "hello" }
  workdir    = "/usr/share/doc"
  user       = "1000:1000"
  labels     = { "org.example.kind" = "probe" }
}

tarball "assets.tgz" {
  # estaleiro's globs are Go path.Match patterns: "*" does not cross "/"
  source_file "bin/*" {
    vcs "git" {
      repository = "https://example.org/probe.git"
      ref        = "v1"
    }
  }
  source_file "share/doc/*/*" {
    vcs "git" {
      repository = "https://example.org/probe-docs.git"
      ref        = "v1"
    }
  }
}
`;

describe("(a) a scratch image with files from a context tarball", () => {
  for (const viaBuildArg of [false, true]) {
    it(viaBuildArg ? "builds through the BUILDKIT_SYNTAX build argument" : "builds with a # syntax= line", async () => {
      const dir = project("scratch", { "slipway.hcl": scratchDeclaration(viaBuildArg ? "" : syntaxLine()) });
      tarballWithProbe(dir);
      const tag = `slipway-e2e/scratch:${viaBuildArg ? "arg" : "line"}`;
      const r = await buildx(dir, { tag, viaBuildArg });
      expect(r.code, r.output).toBe(0);
      expect(r.output).not.toMatch(/Unused build argument/);

      const out = dockerRun(tag);
      expect(out).toContain("args: env:PATH env:GREETING cat:/usr/share/doc/probe/README");
      expect(out).toContain("env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      expect(out).toContain("env GREETING=hello");
      expect(out).toContain("cat /usr/share/doc/probe/README=read me");
      expect(out).toContain("cwd=/usr/share/doc");
      expect(out).toContain("uid=1000 gid=1000");
      expect(dockerRun(tag, ["override"])).toContain("args: override");

      const config = imageConfig(tag).Config;
      expect(config.Labels).toMatchObject({ "org.example.kind": "probe" });

      const rootfs = scratchDir("scratch-rootfs");
      const exported = await buildx(dir, { output: `type=local,dest=${rootfs}`, viaBuildArg });
      expect(exported.code, exported.output).toBe(0);
      // the rootfs, plus the attestations, which BuildKit's local exporter writes beside it
      expect(readdirSync(rootfs).sort()).toEqual(["bom.cdx.json", "bom.json", "bom.spdx.json", "usr"]);
      const mode = (p: string) => must("stat", ["-c", "%a", join(rootfs, p)]).stdout.trim();
      expect(mode("usr/local/bin/probe")).toBe("755");
      expect(mode("usr/share/doc/probe/README")).toBe("444");
      expect(readFileSync(join(rootfs, "usr/local/bin/probe")).equals(readFileSync(staticProbe()))).toBe(true);
    });
  }
});

describe("build arguments", () => {
  it("warn about one no variable uses, naming the closest, and build the image with the default", async () => {
    const declaration = scratchDeclaration(syntaxLine())
      .replace('env        = { GREETING = "hello" }', "env        = { GREETING = greeting }")
      .concat('\nvariable "greeting" {\n  default = "hello"\n}\n');
    const dir = project("build-args", { "slipway.hcl": declaration });
    tarballWithProbe(dir);
    const tag = "slipway-e2e/build-args:1";
    // a misspelt variable, a proxy setting and BuildKit's own argument: only the first is the user's mistake
    const r = await buildx(dir, { tag, buildArgs: { greetin: "bonjour", HTTP_PROXY: "", BUILDKIT_INLINE_CACHE: "1" } });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output).toMatch(/Unused build argument "greetin" \(did you mean "greeting"\?\)/);
    expect(r.output).not.toMatch(/Unused build argument "(HTTP_PROXY|BUILDKIT_INLINE_CACHE)"/);
    expect(dockerRun(tag)).toContain("env GREETING=hello");

    const used = await buildx(dir, { tag, buildArgs: { greeting: "bonjour" } });
    expect(used.code, used.output.slice(-3000)).toBe(0);
    expect(used.output).not.toMatch(/Unused build argument/);
    expect(dockerRun(tag)).toContain("env GREETING=bonjour");
  });
});

describe("options of the build", () => {
  it("--add-host, --ulimit and --shm-size reach a step's RUN", async () => {
    const dir = project("step-run-options", {
      "slipway.hcl": `${syntaxLine()}image "run-options" {
  base_image = "scratch"
  file "/probe.txt" {
    from_step "probe" {
      path = "/out/probe.txt"
    }
  }
}

step "probe" {
  dockerfile = "probe.Dockerfile"
  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/probe.git"
      ref        = "v1"
    }
  }
}
`,
      "probe.Dockerfile": `FROM debian:bookworm
RUN mkdir /out && { getent hosts probe.test || echo "no probe.test"; ulimit -n; df -k --output=size /dev/shm | tail -n 1; } > /out/probe.txt
`,
    });
    const rootfs = scratchDir("step-run-options-out");
    const r = await buildx(dir, { output: `type=local,dest=${rootfs}`, extra: ["--add-host", "probe.test:10.1.2.3", "--ulimit", "nofile=1234:1234", "--shm-size", "96m"] });
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const [hosts, nofile, shmKiB] = readFileSync(join(rootfs, "probe.txt"), "utf8").trim().split("\n").map((l) => l.trim());
    expect(hosts).toMatch(/^10\.1\.2\.3\s+probe\.test$/);
    expect(nofile).toBe("1234");
    expect(shmKiB).toBe(String(96 * 1024));
  });

  it("a remote build context is refused with what to do, not built from something else", async () => {
    const dir = project("remote-context", { "slipway.hcl": scratchDeclaration("") });
    const r = await runAsync("docker", ["buildx", "build", "--progress=plain", "--build-arg", `BUILDKIT_SYNTAX=${frontendImage()}`, "-f", "slipway.hcl", "https://127.0.0.1:9/app.git#main"], { cwd: dir, timeoutMs: 300_000 });
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/context="https:\/\/127\.0\.0\.1:9\/app\.git#main": remote build contexts .* clone the repository/);
  });
});

describe("(b) a debian:bookworm image with files from the context, http and a Dockerfile step", () => {
  let server: TestHttpServer;
  const payload = "downloaded over http\n";
  const payloadSha = createHash("sha256").update(payload).digest("hex");
  beforeAll(async () => {
    server = await startHttpServer({ "/files/payload.txt": payload });
  });
  afterAll(() => server.close());

  const declaration = (syntax: string, sha: string) => `${syntax}image "app" {
  base_image = "debian:bookworm"

  file "/etc/app/app.conf" {
    from_context {
      path = "conf/app.conf"
    }
    mode  = "0600"
    owner = "nobody:nogroup"
  }

  file "/srv/payload.txt" {
    from_http {
      url    = "${server.url}/files/payload.txt"
      sha256 = "${sha}"
    }
  }

  file "/usr/local/bin/greeting" {
    from_step "build" {
      path = "/out/greeting"
    }
  }

  entrypoint = ["/bin/sh", "-c"]
  cmd        = ["echo \\"user=$(id -un) cwd=$(pwd) path=$PATH a=$A b=$B\\"; cat /usr/local/bin/greeting /srv/payload.txt /etc/app/app.conf"]
  env        = { B = "second", A = "first" }
  user       = "nobody"
  workdir    = "/srv"
  labels     = { "org.opencontainers.image.title" = "app" }
  expose     = [8080]
  stopsignal = "SIGTERM"
}

step "build" {
  dockerfile = "build.Dockerfile"
  target     = "make"
  build_args = { MESSAGE = "built by a step" }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/app.git"
      ref        = "main"
    }
  }
}
`;
  const dockerfile = `FROM debian:bookworm AS make
ARG MESSAGE
RUN mkdir /out && echo "$MESSAGE" > /out/greeting && chmod 0755 /out/greeting

FROM debian:bookworm AS other
RUN echo "wrong target" && exit 1
`;

  for (const viaBuildArg of [false, true]) {
    it(viaBuildArg ? "builds through the BUILDKIT_SYNTAX build argument" : "builds with a # syntax= line", async () => {
      const dir = project("debian", {
        "slipway.hcl": declaration(viaBuildArg ? "" : syntaxLine(), payloadSha),
        "build.Dockerfile": dockerfile,
        "conf/app.conf": "listen = 8080\n",
        "unrelated/big.bin": new Uint8Array(1024),
      });
      const tag = `slipway-e2e/debian:${viaBuildArg ? "arg" : "line"}`;
      // --no-cache: a cached result would not report the vertices whose names are checked here
      const r = await buildx(dir, { tag, viaBuildArg, extra: ["--no-cache"] });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain("[slipway] /usr/local/bin/greeting ← step build:/out/greeting");
      expect(r.output).toContain("[slipway] /etc/app/app.conf ← context conf/app.conf");

      const out = dockerRun(tag);
      expect(out).toContain("user=nobody cwd=/srv path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin a=first b=second");
      expect(out).toContain("built by a step\ndownloaded over http\nlisten = 8080\n".replace(/\n$/, ""));

      const config = imageConfig(tag).Config as { Env: string[]; Labels: Record<string, string>; ExposedPorts: object; StopSignal: string };
      // inherited PATH first, then the declared variables in declared order
      expect(config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "B=second", "A=first"]);
      expect(config.Labels["org.opencontainers.image.title"]).toBe("app");
      expect(Object.keys(config.ExposedPorts)).toEqual(["8080/tcp"]);
      expect(config.StopSignal).toBe("SIGTERM");

      const modes = dockerRun(tag, ["stat -c '%n %a %U' /etc/app/app.conf /srv/payload.txt /usr/local/bin/greeting"], ["--user", "0"]);
      expect(modes).toContain("/etc/app/app.conf 600 nobody");
      expect(modes).toContain("/srv/payload.txt 644 root");
      expect(modes).toContain("/usr/local/bin/greeting 755 root");
    });
  }
});

describe("(c) the older base_image { name ref } form", () => {
  it("builds and inherits the base image's config", async () => {
    const dir = project("block-base", {
      "slipway.hcl": `${syntaxLine()}image "legacy" {
  base_image {
    name = "debian"
    ref  = "bookworm"
  }
  cmd = ["cat", "/etc/debian_version"]
}
`,
    });
    const r = await buildx(dir, { tag: "slipway-e2e/legacy:1" });
    expect(r.code, r.output).toBe(0);
    expect(dockerRun("slipway-e2e/legacy:1")).toMatch(/^12\.\d+/);
    expect((imageConfig("slipway-e2e/legacy:1").Config as { Env: string[] }).Env).toContain(
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
  });
});

describe("failures are located in the declaration and export nothing", () => {
  let server: TestHttpServer;
  beforeAll(async () => {
    server = await startHttpServer({ "/f": "real content\n" });
  });
  afterAll(() => server.close());

  async function expectLocatedFailure(files: Record<string, string>, line: number, snippet: string, message: RegExp) {
    const dir = project("failure", files);
    const dest = join(scratchDir("failure-out"), "out");
    const r = await buildx(dir, { output: `type=local,dest=${dest}` });
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toContain(`slipway.hcl:${line}`);
    expect(r.output).toMatch(new RegExp(`>>>\\s*${snippet.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(r.output).toMatch(message);
    expect(existsSync(dest) && readdirSync(dest).length > 0).toBe(false);
  }

  it("a wrong sha256 on an http file", async () => {
    const wrong = "0".repeat(64);
    await expectLocatedFailure(
      {
        "slipway.hcl": `${syntaxLine()}image "x" {
  base_image = "scratch"
  file "/f" {
    from_http {
      url    = "${server.url}/f"
      sha256 = "${wrong}"
    }
  }
}
`,
      },
      4,
      `file "/f" {`,
      /digest mismatch|checksum/i,
    );
  });

  it("a reference to an unknown step", async () => {
    await expectLocatedFailure(
      {
        "slipway.hcl": `${syntaxLine()}image "x" {
  base_image = "scratch"
  file "/f" {
    from_step "biuld" {
      path = "/f"
    }
  }
}

step "build" {
  dockerfile = "Dockerfile"
}
`,
      },
      5,
      `from_step "biuld" {`,
      /step.*biuld|biuld.*step/i,
    );
  });

  it("a step whose Dockerfile is not there", async () => {
    await expectLocatedFailure(
      {
        "slipway.hcl": `${syntaxLine()}image "x" {
  base_image = "scratch"
  file "/f" {
    from_step "build" {
      path = "/f"
    }
  }
}

step "build" {
  dockerfile = "build/Dockerfile"
  source_file "/f" {
    vcs "git" {
      repository = "https://example.org/x.git"
      ref        = "main"
    }
  }
}
`,
      },
      12,
      `dockerfile = "build/Dockerfile"`,
      /Dockerfile "build\/Dockerfile" not found/,
    );
  });

  it("a syntax error", async () => {
    await expectLocatedFailure(
      {
        "slipway.hcl": `${syntaxLine()}image "x" {
  base_image = "scratch"
  cmd = ["a", "b"
}
`,
      },
      5,
      `}`,
      /Missing "\]" to close "\[" opened at 4:9/,
    );
  });
});

export { run };
