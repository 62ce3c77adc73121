image "app" {
  base_image = "debian:bookworm"
}

step "build" {
  dockerfile = "Dockerfile"
}

step "build" {
  dockerfile = "Dockerfile.other"
}

tarball "a.tgz" {}

tarball "./a.tgz" {}
