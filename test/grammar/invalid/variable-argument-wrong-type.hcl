variable "port" {
  type    = number
  default = 8080
}

variable "debug" {
  default = false
}

image "app" {
  base_image = "debian:bookworm"
  expose     = [port]
  env = {
    DEBUG = debug
  }
}
