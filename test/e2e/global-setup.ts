import { execFileSync } from "node:child_process";

/**
 * The e2e project needs a running Docker Engine with BuildKit and the lab registry (scripts/lab-up.sh).
 * Fail once, clearly, instead of every test timing out.
 */
export default function setup(): void {
  try {
    execFileSync("docker", ["version", "--format", "{{.Server.Version}}"], { stdio: "pipe", timeout: 20_000 });
  } catch {
    throw new Error("end-to-end tests need a running Docker Engine: run `scripts/lab-up.sh` (as root) first");
  }
}
