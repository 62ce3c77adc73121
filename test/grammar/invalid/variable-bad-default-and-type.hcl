variable "replicas" {
  type    = number
  default = "many"
}

variable "names" {
  type    = lis(string)
  default = []
}

variable "quoted" {
  type = "string"
}

image "app" {
  base_image = "debian:bookworm"
}
