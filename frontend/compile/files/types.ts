import type { FileEntry, FileSource, FileSourceKind } from "../../../grammar/index.js";
import type { Constraints, CopyOptions, State } from "../../../llb/index.js";
import type { CompileInput } from "../types.js";

/** What a file source compiler gets: the compile input, the shared build-context state, and the op location. */
export interface FileEnv {
  readonly input: CompileInput;
  /** The `file` block being compiled. */
  readonly entry: FileEntry;
  /** The `context` local, transferring only the paths the declaration names. */
  readonly context: State;
  /** Constraints placing ops at the `file` block (source location) — add them to every op you create. */
  readonly at: Constraints;
}

/** Where the bytes are: a state, the path inside it, and copy options the kind needs. */
export interface FileOrigin {
  readonly state: State;
  readonly path: string;
  readonly copy?: Partial<CopyOptions>;
}

/** One module per kind of file source (dalec's source_<kind>.go, with a table instead of generated code). */
export interface FileSourceCompiler<K extends FileSourceKind> {
  origin(source: Extract<FileSource, { kind: K }>, env: FileEnv): FileOrigin;
  /** Short, for progress names and history: `step build:/bin/tool`, `https://…`. */
  describe(source: Extract<FileSource, { kind: K }>): string;
  /** Build-context paths this source needs transferred. */
  contextPaths?(source: Extract<FileSource, { kind: K }>): readonly string[];
}
