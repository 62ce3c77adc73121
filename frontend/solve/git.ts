import { errorAt, type Range, type Result } from "../../grammar/index.js";
import { customName, decodeOp, git, marshal, type Platform, type SourceOpProto } from "../../llb/index.js";
import { gw, isGatewayError } from "../gateway/index.js";
import type { ResolvedGit } from "../compile/index.js";
import type { BuildSession } from "./session.js";

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Resolves a git ref (branch, tag or commit) to the commit it names now, so the build fetches exactly
 * that commit and the BOM records it. BuildKit ≥ 0.26 answers ResolveSourceMeta for git; older daemons
 * (Docker 28 ships ≈ 0.25) ignore the request, and we check the ref out with its .git directory and read
 * HEAD instead.
 */
export async function resolveGit(session: BuildSession, repository: string, ref: string, platform: Platform, range: Range): Promise<Result<ResolvedGit | undefined>> {
  if (COMMIT.test(ref)) return { value: { repository, ref, commit: ref }, diagnostics: [] };
  try {
    const commit = (await viaSourceMeta(session, repository, ref, platform)) ?? (await viaCheckout(session, repository, ref, platform));
    if (!COMMIT.test(commit)) throw new Error(`unexpected commit id ${JSON.stringify(commit)}`);
    return { value: { repository, ref, commit }, diagnostics: [] };
  } catch (e) {
    if (!isGatewayError(e) && !(e instanceof Error && e.message.startsWith("unexpected commit"))) throw e;
    return {
      value: undefined,
      diagnostics: [
        errorAt(range, `Cannot resolve git ref "${ref}" of ${repository}`, e.message, {
          hint: "check the repository URL and that the branch, tag or commit exists and is reachable from BuildKit",
        }),
      ],
    };
  }
}

async function viaSourceMeta(session: BuildSession, repository: string, ref: string, platform: Platform): Promise<string | undefined> {
  if (!session.caps.gateway.has("source.metaresolver")) return undefined;
  const source = sourceOpOf(git(repository, ref));
  const res = await session.client.resolveSourceMeta(
    new gw.ResolveSourceMetaRequest({
      Source: source,
      LogName: `[slipway] resolve git ${repository}#${ref}`,
      Git: new gw.ResolveSourceGitRequest({}),
    }),
  );
  if (!res.has_Git) return undefined;
  return res.Git.CommitChecksum || res.Git.Checksum || undefined;
}

async function viaCheckout(session: BuildSession, repository: string, ref: string, platform: Platform): Promise<string> {
  const checkout = git(repository, ref, { keepGitDir: true, constraints: customName(`[slipway] resolve git ${repository}#${ref}`) });
  const id = await session.solve(checkout, platform);
  const head = new TextDecoder().decode(await session.readFile(id, ".git/HEAD")).trim();
  if (!head.startsWith("ref: ")) return head;
  const name = head.slice(5);
  const loose = await session.stat(id, `.git/${name}`);
  if (loose) return new TextDecoder().decode(await session.readFile(id, `.git/${name}`)).trim();
  const packed = new TextDecoder().decode(await session.readFile(id, ".git/packed-refs"));
  const line = packed.split("\n").find((l) => l.endsWith(` ${name}`));
  return line ? line.split(" ")[0]! : head;
}

/** The source op llb builds for a git state: the identifier and attrs BuildKit expects in ResolveSourceMeta. */
function sourceOpOf(state: ReturnType<typeof git>): SourceOpProto {
  const def = marshal(state);
  const bytes = def.ops[0]!;
  return decodeOp(bytes).source;
}
