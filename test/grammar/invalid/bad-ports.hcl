image "app" {
  base_image = "debian:bookworm"
  expose     = [8080, 0, "80/tcpx", 70000, "53/udp"]
}
