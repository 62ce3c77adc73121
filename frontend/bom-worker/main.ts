/**
 * The BOM worker's entry (`dist/frontend/bom-worker.cjs`, next to the frontend in its image): run by an
 * exec op whose root is the frontend image itself, with the built image, the base image and the build
 * context mounted read-only, so the measurement is an op BuildKit caches like any other.
 */
import { runBomWorker, WorkerError } from "./run.js";

export function main(): void {
  runBomWorker().then(
    () => process.exit(0),
    (e: unknown) => {
      if (e instanceof WorkerError) {
        process.stderr.write(`slipway: ${e.message}\n`);
        process.exit(1);
      }
      process.stderr.write(`slipway: internal error in the bill of materials worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
