image "app" {
  base_image {
    name = "ubuntu"
    ref  = "sha256:1234"
  }
}
