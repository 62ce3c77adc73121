image "app" {
  base_image = "debian:bookworm"
  apt = { packages = ["curl"] }
}
