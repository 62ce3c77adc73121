// Post-processing for `npm run proto`: protoc-gen-ts writes extensionless relative imports
// (`./../ops`), which Node's ES module resolution and tsc's NodeNext mode reject. Add `.js`. Idempotent.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../llb/proto/", import.meta.url).pathname;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".ts")) fix(path);
  }
}
function fix(path) {
  const before = readFileSync(path, "utf8");
  let after = before.replace(/from "(\.{1,2}\/[^"]+?)(?:\.js)?";/g, 'from "$1.js";');
  if (after !== before) writeFileSync(path, after);
}
walk(root);
