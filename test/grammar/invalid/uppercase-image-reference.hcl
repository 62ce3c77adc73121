image "app" {
  base_image = "Ubuntu:18.04"
}
