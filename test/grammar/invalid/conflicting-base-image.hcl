image "app" {
  base_image = "ubuntu:bionic"
  base_image {
    name = "ubuntu"
    ref  = "bionic"
  }
}
