image "app" {
  base_image = "debian:bookworm"
}

image "app" {
  base_image = "debian:trixie"
}
