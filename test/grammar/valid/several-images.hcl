image "builder" {
  base_image = "debian:bookworm"

  apt {
    package "build-essential" {}
  }
}

image "runtime" {
  base_image = "debian:bookworm-slim"
  entrypoint = ["/app"]

  file "/app" {
    from_context {
      path = "dist/app"
    }
  }
}
