image "app" {
  base_image = "debian:bookworm"
  platforms  = ["linux/amd64", "linux/amd65", "windows", "linux/x86_64"]
}
