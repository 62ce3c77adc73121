// Keeps package-lock.json usable by `npm ci` everywhere. The registry this project is developed against
// serves only the Linux builds of some packages' platform-specific optional dependencies (buf's, rollup's),
// so `npm install` leaves the others out of the lock, and `npm ci` then refuses the lock ("Missing: … from
// lock file"). This adds an entry for each missing one, with the version its parent pins and the os/cpu/libc
// its name states, so npm skips it on every other platform, as it would with a full entry. Run it after any
// change to the dependencies:  node scripts/lock-other-platforms.mjs   (idempotent)
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));

const OS = ["darwin", "win32", "linux", "android", "freebsd", "openbsd", "openharmony", "sunos", "aix", "netbsd"];
const CPU = { arm64: "arm64", aarch64: "arm64", x64: "x64", armv7: "arm", arm: "arm", ia32: "ia32", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x" };

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const where = `${path === "" ? "" : `${path}/`}node_modules/${name}`;
    if (lock.packages[where] || lock.packages[`node_modules/${name}`]) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.map((p) => CPU[p]).find(Boolean);
    if (!os || !cpu) continue; // not a platform build: leave it for npm to report
    const libc = parts.some((p) => p.includes("musl")) ? ["musl"] : os === "linux" && parts.some((p) => p.startsWith("gnu")) ? ["glibc"] : undefined;
    lock.packages[`node_modules/${name}`] = { version, cpu: [cpu], optional: true, os: [os], ...(libc && { libc }) };
    added++;
  }
}
const sorted = {};
for (const key of Object.keys(lock.packages).sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1))) sorted[key] = lock.packages[key];
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.error(`lock-other-platforms: ${added} entr${added === 1 ? "y" : "ies"} added`);
try {
  execFileSync("npm", ["ci", "--dry-run", "--no-audit", "--no-fund"], { stdio: "pipe" });
} catch (e) {
  console.error(String(e.stderr ?? e).split("\n").filter((l) => l.includes("Missing") || l.includes("error")).slice(0, 10).join("\n"));
  process.exit(1);
}
