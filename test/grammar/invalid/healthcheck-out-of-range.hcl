image "app" {
  base_image = "debian:bookworm"

  healthcheck {
    test           = ["CMD", "/bin/ok"]
    interval       = "3000000h"
    start_interval = "1h"
    retries        = 1e10
  }

  file "/bin/a" {
    owner = "4294967296:0"
    from_context {
      path = "a"
    }
  }
}
