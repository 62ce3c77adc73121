image "lock" {
  base_image = "debian:bookworm"
}

image "bom" {
  base_image = "debian:bookworm"
}
