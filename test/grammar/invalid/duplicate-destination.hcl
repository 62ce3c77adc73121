image "app" {
  base_image = "debian:bookworm"

  file "/etc/app.conf" {
    from_context {
      path = "a.conf"
    }
  }

  file "/etc/app.conf" {
    from_context {
      path = "b.conf"
    }
  }
}
