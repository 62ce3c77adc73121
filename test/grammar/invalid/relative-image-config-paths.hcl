image "app" {
  base_image = "debian:bookworm"
  workdir    = "srv/app"
  volumes    = ["/data", "cache"]

  bom {
    path = "bom"
  }
}
