image "app" {
  base_image = "debian:bookworm"
  labels = {
    "org.opencontainers.image.revision" = "${estaleiro-commit}"
  }
}
