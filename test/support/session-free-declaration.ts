/**
 * The declaration `slipway llb` and the gateway build are shown to hand BuildKit the same Definition
 * bytes for (test/gateway/llb-same-bytes.test.ts over a fake gateway, test/e2e/cli.test.ts on a real
 * BuildKit): one whose LLB needs nothing of the build's session. A real build's local sources carry its
 * session id, and its source map loads the declaration through the session; neither exists for
 * `slipway llb`, so a declaration that reads the build context cannot have the same bytes. Here: a
 * scratch base, accounts, files from checksummed downloads and, optionally, from an image pinned to a
 * digest, and config.
 */
export interface SessionFreeOptions {
  /** Files downloaded over http(s): where they go, their URL, digest (64 hex digits) and mode. */
  readonly downloads: readonly { readonly path: string; readonly url: string; readonly sha256: string; readonly mode?: string }[];
  /** A file taken from an image: the reference, pinned (`name:tag@sha256:…`), and the path in it. */
  readonly fromImage?: { readonly image: string; readonly path: string };
  /** Text put before the declaration (a `# syntax=` line). */
  readonly header?: string;
}

export function sessionFreeDeclaration(options: SessionFreeOptions): string {
  const files = options.downloads.map(
    (d) => `  file "${d.path}" {
    from_http {
      url    = "${d.url}"
      sha256 = "${d.sha256}"
    }${d.mode === undefined ? "" : `\n    mode = "${d.mode}"`}
  }
`,
  );
  if (options.fromImage) {
    files.push(`  file "${options.fromImage.path}" {
    from_image {
      image = "${options.fromImage.image}"
      path  = "${options.fromImage.path}"
    }
  }
`);
  }
  return `${options.header ?? ""}image "tool" {
  base_image = "scratch"

  group "app" {
    gid = 10001
  }
  user "app" {
    uid   = 10001
    group = "app"
    home  = "/home/app"
  }

${files.join("")}
  env = { GREETING = "hi" }
  cmd = ["/usr/local/bin/tool"]
}
`;
}
