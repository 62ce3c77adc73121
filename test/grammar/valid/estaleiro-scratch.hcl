image "from-scratch" {
  base_image = "scratch"
}
