image "app" {
  base_image = "debian:bookworm"
  user       = uppr("app")
}
