/** Owners and timestamps of file actions, in the forms BuildKit's `ChownOpt` and int64 nanoseconds take. */
import { check } from "./errors.js";
import { pb } from "./proto/github.com/moby/buildkit/solver/pb/ops.js";

/** A file owner: numeric IDs or names (names resolve in the target's /etc/passwd and /etc/group). */
export interface Owner {
  readonly user?: number | string;
  readonly group?: number | string;
}

/** `Date`, or Unix time in nanoseconds as a bigint (a JS number cannot hold it exactly). */
export type Timestamp = Date | bigint;

/** Go's `WithUser`: `user[:group]`, each a number, `root` (0) or a name. */
export function parseOwner(owner: string | Owner): Owner {
  if (typeof owner !== "string") {
    for (const id of [owner.user, owner.group]) {
      if (typeof id === "number") check(Number.isInteger(id) && id >= 0 && id <= 0xffffffff, `invalid owner id ${id}`);
      if (typeof id === "string") check(id !== "", "an owner name cannot be empty");
    }
    return owner;
  }
  const [user, group] = splitOnce(owner, ":");
  check(user !== "" && group !== "", `invalid owner ${JSON.stringify(owner)}: expected user[:group]`);
  return { user: parseId(user), ...(group !== undefined && { group: parseId(group) }) };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseId(text: string): number | string {
  if (text === "root") return 0;
  return /^[0-9]+$/.test(text) && Number(text) <= 0x7fffffff ? Number(text) : text;
}

export function toNanoseconds(timestamp: Timestamp): bigint {
  if (typeof timestamp === "bigint") return timestamp;
  const millis = timestamp.getTime();
  check(Number.isFinite(millis), "invalid timestamp");
  return BigInt(millis) * 1_000_000n;
}

export function ownerField(spec: string | Owner | undefined, base: number): { owner?: pb.ChownOpt } {
  if (spec === undefined) return {};
  const parsed = parseOwner(spec);
  const userOpt = (id: number | string | undefined) =>
    id === undefined
      ? undefined
      : typeof id === "number"
        ? new pb.UserOpt({ byID: id })
        : new pb.UserOpt({ byName: new pb.NamedUserOpt({ name: id, input: base }) });
  const user = userOpt(parsed.user);
  const group = userOpt(parsed.group);
  return { owner: new pb.ChownOpt({ ...(user && { user }), ...(group && { group }) }) };
}

/**
 * The int64 `timestamp` field: -1 when unset. A set timestamp goes in as a bigint, which google-protobuf's
 * writer encodes exactly; the generated setter is typed `number` only because of the .proto's int64 mapping.
 */
export function timestampField(timestamp: Timestamp | undefined): number {
  return timestamp === undefined ? -1 : (toNanoseconds(timestamp) as unknown as number);
}
