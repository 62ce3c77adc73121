image {
  base_image = "debian:bookworm"
}
