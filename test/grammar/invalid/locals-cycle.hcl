locals {
  image = "${local.registry}/app"
  registry = local.mirror
  mirror   = trimsuffix(local.image, "/app")
}

image "app" {
  base_image = local.image
}
