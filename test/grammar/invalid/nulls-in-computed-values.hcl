locals {
  extra = [null]
}

image "app" {
  base_image = "debian:bookworm"
  volumes    = concat(["/x"], local.extra)
  cmd        = concat(["/bin/app"], [null])
  entrypoint = [for x in ["a", null] : x]
  env        = merge({ A = "1" }, { B = null })
  labels     = { for k in ["a"] : k => null }
  expose     = concat([80], [null])
}
