image "app" {
  base_image = "scratch"

  apt {
    package "ca-certificates" {}
  }
}
