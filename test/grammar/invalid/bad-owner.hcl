image "app" {
  base_image = "debian:bookworm"

  file "/bin/a" {
    owner = "app:app:app"
    from_context {
      path = "a"
    }
  }

  file "/bin/b" {
    owner = "1000 : 1000"
    from_context {
      path = "b"
    }
  }
}
