variable "tag" {
  description = "The release tag"
}

image "app" {
  base_image = "debian:bookworm"
  env = {
    VERSION = tag
    RELEASE = "release-${tag}"
  }
}
