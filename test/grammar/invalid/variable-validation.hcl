variable "version" {
  default = "1.0"

  validation {
    condition     = can(regex("^v[0-9]+", version))
    error_message = "The version must start with v and a number."
  }

  validation {
    condition     = length(version) < 3
    error_message = "The version is too long."
  }
}

image "app" {
  base_image = "debian:bookworm"
}
