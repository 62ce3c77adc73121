image "app" {
  base_image = "debian:bookworm"

  file "/app" {
    from_step "build" {}
  }
}

step "build" {
  target = "build"

  source_file "*" {
    vcs "git" {
      repository = "https://github.com/example/app"
    }
  }
}
