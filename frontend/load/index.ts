// The load stage: declaration text → a typed Declaration, with the `file()` reads it names. A build reads
// through the gateway (gateway.ts: the `dockerfile` local, the lock beside it, the build context); the CLI
// reads the disk (cli/load-from-disk.ts). Both evaluate with `loadWithReads` (reads.ts, which the CLI
// imports as this folder's second surface, so that its bundle does not load the gateway client).
export { DEFAULT_FILENAMES, LOCK_MODE_ARG, loadLock, readDeclaration, requestDeclarationFiles, type DeclarationFiles, type LoadedDeclaration } from "./gateway.js";
export { loadWithReads, MAX_FILE_CHAIN } from "./reads.js";
