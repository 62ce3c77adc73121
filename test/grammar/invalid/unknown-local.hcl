locals {
  registry = "127.0.0.1:5000"
}

image "app" {
  base_image = "${local.registy}/debian:bookworm"
}
