import { pb, type Platform } from "../../llb/index.js";

/** A platform as the gateway's request messages carry it. */
export function platformToPb(platform: Platform): pb.Platform {
  return new pb.Platform({
    OS: platform.os,
    Architecture: platform.architecture,
    ...(platform.variant && { Variant: platform.variant }),
  });
}
