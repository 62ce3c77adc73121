image "app" {
  base_image = "debian:bookworm"
  env {
    A = "1"
  }
}
