# estaleiro crashed with a nil pointer here; slipway says which file lacks a source.
image "app" {
  base_image = "debian:bookworm"

  file "/usr/local/bin/tool" {
    from_step "build" {
      path = "/bin/tool"
    }
  }
}

step "build" {
  dockerfile = "Dockerfile"

  source_file "/bin/other" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = "v1"
    }
  }
}
