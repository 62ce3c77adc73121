image "app" {
  base_image = "debian:bookworm"
  labels = {
    passwd = file("/etc/passwd")
    secret = file("../secret.txt")
  }
}
