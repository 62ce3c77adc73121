image "app" {
  base_image = "debian:bookworm"
  env = {
    PATH = "/usr/bin"
    PATH = "/usr/local/bin"
    "A=B" = "x"
  }
}
