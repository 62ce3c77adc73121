image "app" {
  base_image = "debian:bookworm"

  file "/app" {
    from_step "build" {
      path = "/app"
    }
  }
}

step "build" {
  dockerfile = "/src/Dockerfile"
  context    = "../other-project"

  source_file "/app" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = "v1"
    }
  }
}
