image "app" {
  base_image = "debian:bookworm"

  file "/bin/a" {
    mode = "0999"
    from_context {
      path = "a"
    }
  }

  file "/bin/b" {
    mode = 99999
    from_context {
      path = "b"
    }
  }

  file "/bin/c" {
    mode = true
    from_context {
      path = "c"
    }
  }
}
