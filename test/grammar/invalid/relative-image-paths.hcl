image "app" {
  base_image = "debian:bookworm"

  file "/bin/tool" {
    from_step "build" {
      path = "out/tool"
    }
  }

  file "/bin/busybox" {
    from_image {
      image = "busybox:1.36"
      path  = "bin/busybox"
    }
  }
}

step "build" {
  dockerfile = "Dockerfile"

  source_file "*" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = "v1"
    }
  }
}
