import type { FileSource, FileSourceKind } from "../../../grammar/index.js";
import { fromContext } from "./from-context.js";
import { fromGit } from "./from-git.js";
import { fromHttp } from "./from-http.js";
import { fromImage } from "./from-image.js";
import { fromStep } from "./from-step.js";
import { fromTarball } from "./from-tarball.js";
import type { FileEnv, FileOrigin, FileSourceCompiler } from "./types.js";

/** Adding a kind of file source means one module and one line here; the type checker finds a missing one. */
const compilers = {
  context: fromContext,
  tarball: fromTarball,
  http: fromHttp,
  git: fromGit,
  image: fromImage,
  step: fromStep,
} satisfies { [K in FileSourceKind]: FileSourceCompiler<K> };

function compilerFor<K extends FileSourceKind>(kind: K): FileSourceCompiler<K> {
  return compilers[kind] as unknown as FileSourceCompiler<K>;
}

export function fileOrigin(source: FileSource, env: FileEnv): FileOrigin {
  return compilerFor(source.kind).origin(source as never, env);
}

export function describeFileSource(source: FileSource): string {
  return compilerFor(source.kind).describe(source as never);
}

export function contextPathsOf(source: FileSource): readonly string[] {
  return compilerFor(source.kind).contextPaths?.(source as never) ?? [];
}

export type { FileEnv, FileOrigin, FileSourceCompiler } from "./types.js";
