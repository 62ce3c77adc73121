image "app" {
  base_image = "debian:bookworm"

  file "/etc/app.conf" {
    mode = "0644"
  }
}
