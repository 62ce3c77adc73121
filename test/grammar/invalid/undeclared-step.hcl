image "app" {
  base_image = "debian:bookworm"

  file "/usr/local/bin/app" {
    from_step "biuld" {
      path = "/out/app"
    }
  }
}

step "build" {
  dockerfile = "Dockerfile"

  source_file "/out/*" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = "v1.0.0"
    }
  }
}
