image "app" {
  base_image = "debian:bookworm"

  healthcheck {
    test         = ["CURL", "localhost"]
    interval     = "30"
    timeout      = "1x"
    start_period = "500us"
    retries      = -1
  }
}
