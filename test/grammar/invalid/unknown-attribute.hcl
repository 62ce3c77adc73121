image "app" {
  base_image = "debian:bookworm"
  entrypont  = ["/app"]
}
