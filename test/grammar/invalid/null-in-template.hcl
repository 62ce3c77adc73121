locals {
  user = null
}

image "app" {
  base_image = "debian:bookworm"
  workdir    = "/home/${local.user}"
}
