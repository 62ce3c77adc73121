image "app" {
  base_image = "debian:bookworm"
  aptt {
    package "curl" {}
  }
}
