image "app" {
  base_image = "debian:bookworm"

  file "/opt/resource/in" {
    from_tarball "assets.tgz" {
      path = "sub/in"
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
