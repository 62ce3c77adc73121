image "app" {
  base_image = "debian:bookworm"

  file "/etc/app.conf" {
    from_context {
      path = "app.conf"
    }
    from_http {
      url    = "https://example.org/app.conf"
      sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    }
  }
}
