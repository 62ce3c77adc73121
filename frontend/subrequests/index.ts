import { unusedBuildArgWarnings } from "../build-args.js";
import { anyPb, google, gw } from "../gateway/index.js";
import type { LoadedDeclaration } from "../load/index.js";
import { metadataResult, type ReturnRequest } from "./answer.js";
import { LINT, lintResults, printLint } from "./lint.js";
import { OUTLINE, outline, printOutline } from "./outline.js";
import { printTargets, targetList, TARGETS } from "./list-targets.js";

export { lintResults, printLint, type LintResults } from "./lint.js";
export { outline, printOutline, type Outline } from "./outline.js";
export { printTargets, targetList, type TargetList } from "./list-targets.js";

const DESCRIBE = "frontend.subrequests.describe";

/** The subrequests slipway answers (`docker buildx build --call NAME`), in BuildKit's frontend/subrequests shapes. */
const SUPPORTED = [
  { name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List available subrequest types", opts: [], metadata: [{ name: "result.json" }, { name: "result.txt" }] },
  { name: TARGETS, version: "1.0.0", type: "rpc", description: "List all targets current build supports", opts: [], metadata: [{ name: "result.json" }, { name: "result.txt" }] },
  {
    name: OUTLINE,
    version: "1.0.0",
    type: "rpc",
    description: "List all parameters current build takes",
    opts: [{ name: "target", description: "Target build stage" }],
    metadata: [{ name: "result.json" }, { name: "result.txt" }],
  },
  {
    name: LINT,
    version: "1.0.0",
    type: "rpc",
    description: "Lint a declaration",
    opts: [],
    metadata: [{ name: "result.json" }, { name: "result.txt" }, { name: "result.statuscode" }],
  },
];

/**
 * Answers a subrequest (`requestid` option). `load` reads the declaration, for the subrequests that need it.
 * Unknown ones get BuildKit's "unsupported request" error with an `errdefs.Subrequest` detail, which tells
 * buildx to fall back to its own handling.
 */
export async function handleSubrequest(id: string, target: string | undefined, load: () => Promise<LoadedDeclaration>): Promise<ReturnRequest> {
  switch (id) {
    case DESCRIBE:
      return metadataResult(JSON.stringify(SUPPORTED), SUPPORTED.map((s) => `${s.name} - ${s.description}\n`).join(""));
    case TARGETS: {
      const list = targetList((await load()).declaration);
      return metadataResult(JSON.stringify(list, null, 2), printTargets(list));
    }
    case OUTLINE: {
      const o = outline(await load(), target);
      return metadataResult(JSON.stringify(o, null, 2), printOutline(o));
    }
    case LINT: {
      const loaded = await load();
      const results = lintResults(loaded.declaration.file, [...loaded.warnings, ...unusedBuildArgWarnings(loaded)]);
      return metadataResult(JSON.stringify(results, null, 2), printLint(results), { "result.statuscode": results.warnings.length > 0 ? "1" : "0" });
    }
  }
  const detail = new anyPb.protobuf.Any({
    type_url: "github.com/moby/buildkit/errdefs.Subrequest+json",
    value: new TextEncoder().encode(JSON.stringify({ name: id })),
  });
  return new gw.ReturnRequest({ error: new google.rpc.Status({ code: 12, message: `unsupported request ${id}`, details: [detail] }) });
}
