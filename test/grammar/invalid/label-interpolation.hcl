image "${registry}/app" {
  base_image = "debian:bookworm"
}
