image "app" {
  base_image = "debian:bookworm"
  user       = replace("app")
  workdir    = lower(["/srv"])
  stopsignal = upper("sigterm", "extra")
}
