import { reasonOf } from "../../grammar/index.js";
import type { Platform, State } from "../../llb/index.js";
import { UsageError } from "./streams.js";

/** The environment variable that names a vendored package image for `slipway llb` (the build argument's name). */
export const VENDOR_VARIABLE = "SLIPWAY_VENDOR";

/**
 * `$SLIPWAY_VENDOR` for `slipway llb`: the vendored image every .deb is taken from, as a build given the
 * same build argument takes them, so the Definition it writes is the build's. Undefined when unset; a
 * malformed value is a usage error naming the variable.
 */
export async function cliVendor(env: NodeJS.ProcessEnv): Promise<((platform: Platform) => State) | undefined> {
  const value = env[VENDOR_VARIABLE];
  if (value === undefined) return undefined;
  const { parseVendorRef, vendorImage } = await import("../debian/vendor.js");
  const parsed = parseVendorRef(value);
  const ref = parsed.value;
  if (ref === undefined) throw new UsageError(`$${VENDOR_VARIABLE}: the value ${reasonOf(parsed)}; give the image --target vendor made, pinned by its digest (REF@sha256:<64 hex digits>)`);
  return (platform) => vendorImage(ref, platform);
}
