tag = "1.0"

image "app" {
  base_image = "debian:${tag}"
}
