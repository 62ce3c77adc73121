locals {
  ports = [80, 443]
}

image "app" {
  base_image = "debian:bookworm"
  expose     = [local.ports[2], "8${local.ports}", local.ports.first]
  user       = 1 + "one"
}
