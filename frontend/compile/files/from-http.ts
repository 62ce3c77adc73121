import { http } from "../../../llb/index.js";
import type { FileSourceCompiler } from "./types.js";

/**
 * `from_http { url, sha256 }`: BuildKit downloads it and verifies the checksum (a mismatch fails the op,
 * which points back at the `file` block). Without a declared mode the file gets 0644, not the 0600 an
 * http source defaults to. The download takes only the permission bits (`http.perm` is a Go
 * `os.FileMode`, where 04000 is not setuid); the copy into the image sets the whole declared mode,
 * setuid, setgid and sticky bits included, as `COPY --chmod=4755` does.
 */
export const fromHttp: FileSourceCompiler<"http"> = {
  origin: (source, env) => {
    const filename = "download";
    return {
      state: http(source.url.value, {
        checksum: `sha256:${source.sha256.value}`,
        filename,
        perm: (env.entry.mode?.value ?? 0o644) & 0o777,
        constraints: env.at,
      }),
      path: `/${filename}`,
    };
  },
  describe: (source) => source.url.value,
};
