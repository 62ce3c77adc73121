import { imageFilesFromMap, type ImageFiles } from "../../frontend/debian/index.js";

/** A dpkg status with the few packages a minimal Debian base has, all installed. */
export const minimalStatus = `Package: base-files
Status: install ok installed
Priority: required
Essential: yes
Version: 12.4+deb12u5
Architecture: amd64

Package: dpkg
Status: install ok installed
Priority: required
Essential: yes
Version: 1.21.22
Architecture: amd64

Package: old-removed
Status: deinstall ok config-files
Version: 0.1
Architecture: amd64
`;

/** A base image with a dpkg database and, optionally, apt sources and keys. */
export function baseImage(extra: Record<string, string> = {}): ImageFiles {
  return imageFilesFromMap(new Map(Object.entries({ "/var/lib/dpkg/status": minimalStatus, ...extra })));
}
