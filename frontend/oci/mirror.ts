/** Where the docker.io mirror came from, for messages. */
export type MirrorSource = "--registry-mirror" | "SLIPWAY_REGISTRY_MIRROR" | "daemon.json";

export interface RegistryMirror {
  /** `http://127.0.0.1:5000`, without a trailing slash. */
  readonly url: string;
  readonly from: MirrorSource;
}

export interface MirrorSettings {
  /** `--registry-mirror URL`. */
  readonly flag?: string | undefined;
  /** `$SLIPWAY_REGISTRY_MIRROR`; an empty value turns the daemon's mirror off. */
  readonly env?: string | undefined;
  /** The Docker daemon's configuration (`/etc/docker/daemon.json`), when there is one. */
  readonly daemonConfig?: { readonly path: string; readonly text: string } | undefined;
}

/**
 * The mirror docker.io images are read through, as the Docker daemon reads them: the flag, else the
 * environment variable, else the first of the daemon's `registry-mirrors`. A value that is not an http(s)
 * URL is a problem naming where it came from, never quietly skipped.
 */
export function dockerHubMirror(settings: MirrorSettings): { mirror?: RegistryMirror; problem?: string } {
  if (settings.flag !== undefined) return checked(settings.flag, "--registry-mirror", "--registry-mirror");
  if (settings.env !== undefined) return settings.env === "" ? {} : checked(settings.env, "SLIPWAY_REGISTRY_MIRROR", "$SLIPWAY_REGISTRY_MIRROR");
  if (!settings.daemonConfig) return {};
  const { path, text } = settings.daemonConfig;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    return { problem: `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}); fix it, or give the mirror with --registry-mirror URL` };
  }
  const mirrors = (config as { "registry-mirrors"?: unknown } | null)?.["registry-mirrors"];
  if (mirrors === undefined) return {};
  if (!Array.isArray(mirrors) || !mirrors.every((m) => typeof m === "string")) return { problem: `"registry-mirrors" in ${path} is not a list of URLs` };
  return mirrors.length === 0 ? {} : checked(mirrors[0] as string, "daemon.json", `"registry-mirrors" in ${path}`);
}

function checked(value: string, from: MirrorSource, where: string): { mirror?: RegistryMirror; problem?: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `${where}: "${value}" is not a URL; write it as http://HOST:PORT or https://HOST` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { problem: `${where}: "${value}" is not an http or https URL` };
  return { mirror: { url: value.replace(/\/+$/, ""), from } };
}
