image "app" {
  base_image = "debian:bookworm"

  file "/etc/passwd" {
    from_context {
      path = "/etc/passwd"
    }
  }
}
