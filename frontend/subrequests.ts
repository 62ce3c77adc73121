import { gw } from "./gateway/client.js";
import { google as anyPb } from "../llb/proto/google/protobuf/any.js";
import { google } from "../llb/proto/google/rpc/status.js";
import { sortedMap } from "../llb/index.js";
import type { BuildSession } from "./session.js";

type ReturnRequest = InstanceType<typeof gw.ReturnRequest>;

const DESCRIBE = "frontend.subrequests.describe";

/** The subrequests slipway answers (buildx `--call`); outline/targets/check come later. */
const SUPPORTED = [{ name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List available subrequest types", opts: [], metadata: [{ name: "result.json" }, { name: "result.txt" }] }];

/**
 * Answers a subrequest (`requestid` option). Unknown ones get BuildKit's "unsupported request" error with
 * an `errdefs.Subrequest` detail, which tells buildx to fall back to its own handling.
 */
export async function handleSubrequest(_session: BuildSession, id: string): Promise<ReturnRequest> {
  if (id === DESCRIBE) {
    const json = JSON.stringify(SUPPORTED);
    const txt = SUPPORTED.map((s) => `${s.name} - ${s.description}`).join("\n") + "\n";
    return new gw.ReturnRequest({
      result: new gw.Result({
        metadata: sortedMap([
          ["result.json", new TextEncoder().encode(json)],
          ["result.txt", new TextEncoder().encode(txt)],
          ["version", new TextEncoder().encode("1.0.0")],
        ]),
      }),
    });
  }
  const detail = new anyPb.protobuf.Any({
    type_url: "github.com/moby/buildkit/errdefs.Subrequest+json",
    value: new TextEncoder().encode(JSON.stringify({ name: id })),
  });
  return new gw.ReturnRequest({ error: new google.rpc.Status({ code: 12, message: `unsupported request ${id}`, details: [detail] }) });
}
