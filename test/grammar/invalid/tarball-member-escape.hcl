image "app" {
  base_image = "debian:bookworm"

  file "/opt/check" {
    from_tarball "./assets.tgz" {
      path = "bin/../../etc/passwd"
    }
  }
}

tarball "assets.tgz" {
  source_file "*" {
    vcs "git" {
      repository = "https://github.com/example/assets"
      ref        = "v1"
    }
  }
}
