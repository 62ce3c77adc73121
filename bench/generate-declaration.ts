/**
 * Generates a large, realistic slipway declaration for benchmarks: variables and locals, then images (base
 * image, config, env and labels objects, an `apt` block of pinned packages, files from steps and the
 * context), the steps those files come from, and tarballs — with comments, interpolation, a heredoc now and
 * then, conditionals, function calls and for-expressions, in the proportions a hand-written file has.
 * About 9,800 blocks per MiB (small ones: packages, file sources), so denser than the ~5,000 the parse
 * goal assumes. It decodes without errors. The output is deterministic for a given size and seed.
 *
 * @example
 * const text = generateDeclaration(1 << 20); // ~1 MiB
 */
export function generateDeclaration(sizeBytes: number, seed = 1): string {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const parts: string[] = [header];
  let size = header.length;
  for (let n = 0; size < sizeBytes; n++) {
    const unit = image(n, pick, random) + step(n, pick) + (n % 4 === 3 ? tarball(n) : "");
    parts.push(unit);
    size += unit.length;
  }
  return parts.join("");
}

const header = `# A generated declaration (bench/generate-declaration.ts): many images built from one base.

variable "registry" {
  default = "127.0.0.1:5000"
}

variable "commit" {
  default     = "0123456789abcdef0123456789abcdef01234567"
  description = "The commit every source file is built from."
}

variable "debug" {
  default = false
}

locals {
  version = "1.4.2"
  owner   = "app:app"
  base    = "debian:bookworm"
}

`;

const packages = [
  ["ca-certificates", "20230311"],
  ["curl", "7.88.1-10+deb12u5"],
  ["libssl3", "3.0.11-1~deb12u2"],
  ["tzdata", "2024a-0+deb12u1"],
  ["jq", "1.6-2.1"],
  ["git", "1:2.39.2-1.1"],
  ["openssh-client", "1:9.2p1-2+deb12u2"],
  ["gnupg", "2.2.40-1.1"],
  ["unzip", "6.0-28"],
  ["zlib1g", "1:1.2.13.dfsg-1"],
  ["libc6", "2.36-9+deb12u4"],
  ["procps", "2:4.0.2-3"],
] as const;

const components = ["api", "worker", "gateway", "scheduler", "indexer", "mailer", "billing", "search"] as const;

function image(n: number, pick: <T>(xs: readonly T[]) => T, random: () => number): string {
  const name = `${pick(components)}-${n}`;
  const port = 8000 + (n % 1000);
  const pkgs: string[] = [];
  const count = 2 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const [pkg, version] = packages[(n + i * 5) % packages.length]!;
    pkgs.push(
      i % 3 === 2
        ? `    package "${pkg}" {}\n`
        : `    package "${pkg}" {\n      version = "${version}"\n    }\n`,
    );
  }
  const description =
    n % 10 === 0
      ? `    "org.opencontainers.image.description" = <<-EOT
      ${name}: generated service number ${n}.
      Built from \${commit}.
    EOT
`
      : "";
  return `# ${name}: one of the generated services.
image "${name}" {
  base_image = local.base
  entrypoint = ["/usr/local/bin/${name}", "serve"]
  cmd        = ["--port", "${port}", "--log-level", debug ? "debug" : "info"]
  user       = local.owner
  workdir    = "/srv/${name}"
  expose     = [${port}, ${port + 1000}]
  env = {
    APP_NAME    = "${name}"
    APP_HOME    = "/srv/${name}"
    APP_VERSION = local.version
    APP_REPLICA = "\${${n} % 3}"
  }
  labels = {
    "org.opencontainers.image.version"  = local.version
    "org.opencontainers.image.revision" = commit
    "org.opencontainers.image.title"    = upper("${name}")
${description}  }

  apt {
${pkgs.join("")}  }

  file "/usr/local/bin/${name}" {
    from_step "build-${n}" {
      path = "/out/${name}"
    }
    mode  = "0755"
    owner = local.owner
  }

  file "/etc/${name}/config.json" {
    from_context {
      path = "conf/${name}.json"
    }
  }
${n % 4 === 3 ? `
  file "/opt/${name}/assets" {
    from_tarball "assets/bundle-${n}.tgz" {
      path = "share/assets"
    }
  }
` : ""}}

`;
}

function step(n: number, pick: <T>(xs: readonly T[]) => T): string {
  const target = pick(["build", "release", "static"]);
  return `step "build-${n}" {
  dockerfile = "./Dockerfile"
  target     = "${target}"
  context    = "services/${n % 50}"
  build_args = { for k, v in { VERSION = local.version, SERVICE = "${n}" } : k => v }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://github.com/example/service-${n % 50}"
      ref        = commit
    }
  }
}

`;
}

function tarball(n: number): string {
  return `tarball "assets/bundle-${n}.tgz" {
  source_file "share/*" {
    vcs "git" {
      repository = "https://github.com/example/assets"
      ref        = "v${1 + (n % 9)}.0.0"
    }
  }
}

`;
}

/** A small, fast, seedable PRNG (public domain), so output depends only on the seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
