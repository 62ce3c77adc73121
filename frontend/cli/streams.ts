/**
 * Everything the CLI touches outside itself, injected so that tests run commands in-process: the two
 * output streams, file reading and writing, and the working directory that relative paths start from.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Writes bytes to stdout unchanged (LLB, archives). Returns false, writing nothing, when stdout is a
   * terminal, which binary output would garble. Absent where stdout takes text only.
   */
  writeStdoutBytes?(bytes: Uint8Array): boolean;
  /** The text of a file (UTF-8). Rejects with an error whose `code` is `ENOENT`, `EISDIR`, … on failure. */
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  /**
   * What `path` is once every symbolic link is followed: its real path, kind and size. Rejects like
   * `readFile` (`ENOENT`, …). Absent where there are no links (an in-memory file system): paths are then
   * taken as they are.
   */
  inspect?(path: string): Promise<FileFacts>;
  /** An absolute directory. */
  readonly cwd: string;
  /** Colour diagnostics (a terminal that wants it); off when absent. */
  readonly color?: boolean;
}

export interface FileFacts {
  readonly realpath: string;
  readonly kind: "file" | "directory" | "other";
  readonly size: number;
}

/** A subcommand: `slipway NAME …`. */
export interface Command {
  readonly name: string;
  /** One line for `slipway --help`. */
  readonly summary: string;
  /** The whole `slipway NAME --help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** A mistake in the command line itself (unknown option, missing file): printed with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError" as const;
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === "UsageError";
}

/** An error's `code` (`ENOENT`, …) when it has one. */
export function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : undefined;
}

/** A short, user-facing reason for a failed file operation. */
export function describeIoError(e: unknown): string {
  switch (errorCode(e)) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
