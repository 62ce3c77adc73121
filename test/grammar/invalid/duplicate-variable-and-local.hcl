variable "tag" {
  default = "1"
}

variable "tag" {
  default = "2"
}

locals {
  name = "a"
}

locals {
  name = "b"
}

image "app" {
  base_image = "debian:${tag}"
  user       = local.name
}
