// Post-processing for `npm run proto`: protoc-gen-ts writes extensionless relative imports
// (`./../ops`), which Node's ES module resolution and tsc's NodeNext mode reject. Add `.js`. The gateway's
// protocol (frontend/gateway/proto/) imports LLB's ops.proto, which is generated once, under llb/proto/:
// an import that names a file not generated beside it is pointed there, so a SolveRequest embeds the very
// pb.Definition class llb marshals. protoc-gen-ts also writes every file a generated file imports, so the
// gateway's copy of ops.ts is removed first. Idempotent.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const llbRoot = new URL("../llb/proto/", import.meta.url).pathname;
const gatewayRoot = new URL("../frontend/gateway/proto/", import.meta.url).pathname;

function walk(dir, root) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root);
    else if (path.endsWith(".ts")) fix(path, root);
  }
}

function fix(path, root) {
  const before = readFileSync(path, "utf8");
  const after = before.replace(/from "(\.{1,2}\/[^"]+?)(?:\.js)?";/g, (_, spec) => `from "${resolved(path, root, spec)}.js";`);
  if (after !== before) writeFileSync(path, after);
}

/** `spec` as written, or, when nothing beside it was generated there, the same file under llb/proto/. */
function resolved(path, root, spec) {
  const target = join(dirname(path), spec);
  if (existsSync(`${target}.ts`) || root === llbRoot) return spec;
  const inLlb = join(llbRoot, relative(root, target));
  if (!existsSync(`${inLlb}.ts`)) throw new Error(`${path}: imports ${spec}, generated neither beside it nor under llb/proto/`);
  const r = relative(dirname(path), inLlb);
  return r.startsWith(".") ? r : `./${r}`;
}

/** Removes what protoc-gen-ts wrote under `root` that llb/proto/ already holds. */
function dropLlbCopies(dir, root) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      dropLlbCopies(path, root);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (existsSync(join(llbRoot, relative(root, path)))) rmSync(path);
  }
}

dropLlbCopies(gatewayRoot, gatewayRoot);
walk(llbRoot, llbRoot);
walk(gatewayRoot, gatewayRoot);
