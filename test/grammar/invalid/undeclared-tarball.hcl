image "app" {
  base_image = "debian:bookworm"

  file "/opt/resource/check" {
    from_tarball "asset.tgz" {
      path = "check"
    }
  }
}
