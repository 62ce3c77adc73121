image "app" {
  base_image = "debian:bookworm"

  file "etc/app.conf" {
    from_context {
      path = "app.conf"
    }
  }
}
