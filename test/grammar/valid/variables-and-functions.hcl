variable "registry" {
  default = "127.0.0.1:5000"
}

variable "version" {
  type = string

  validation {
    condition     = can(regex("^v[0-9]+[.][0-9]+", version))
    error_message = "The version must look like v1.2."
  }
}

variable "ports" {
  type    = list(number)
  default = [80]
}

variable "debug" {
  type    = bool
  default = false
}

variable "extra_labels" {
  type    = map(string)
  default = {}
}

locals {
  name    = "app"
  image   = "${registry}/${local.name}"
  semver  = trimprefix(version, "v")
  major   = split(".", local.semver)[0]
  tags    = [for t in ["latest", local.semver, "${local.major}"] : "${local.image}:${t}"]
  labels = merge({
    "org.opencontainers.image.version" = local.semver
    "tags"                             = join(",", local.tags)
  }, extra_labels)
}

image "${local.image}" {
  base_image = "${registry}/debian:bookworm"
  expose     = ports
  labels     = local.labels
  env = {
    APP_NAME  = upper(local.name)
    APP_DEBUG = debug ? "1" : "0"
    APP_MAJOR = tonumber(local.major) + 1
    DIGEST    = substr(sha256(local.name), 0, 12)
    ENCODED   = base64encode(format("%s-%03d", local.name, 7))
    COMMIT    = estaleiro-commit
    FIRST     = element(sort(keys({ b = 1, a = 2 })), 0)
    SLICE     = jsonencode(slice(reverse(range(5)), 1, 3))
    COUNT     = length(distinct(flatten([["a", "b"], ["a"]])))
    FALLBACK  = try(local.missing_key_lookup, lookup({ x = "y" }, "z", "default"))
  }
}
