image "app" "extra" {
  base_image = "debian:bookworm"
}
