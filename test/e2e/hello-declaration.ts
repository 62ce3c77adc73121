import { syntaxLine } from "./harness.js";

/**
 * One image that installs `hello-slipway` from the test's own signed repository (test/support/debian-repo.ts)
 * alone, its key from `repo.asc` beside the declaration: the declaration the offline e2e tests (mirrors,
 * vendoring) lock and rebuild. The apt block is on line 5.
 */
export function helloDeclaration(name: string, url: string, suite: string): string {
  return `${syntaxLine()}image "${name}" {
  base_image = "debian:bookworm"

  apt {
    repository "test" {
      uri        = "${url}"
      suite      = "${suite}"
      components = ["main"]
      key        = file("repo.asc")
    }
    package "hello-slipway" {}
    replace_sources = true
  }
  cmd = ["hello-slipway"]
}
`;
}
