image "app" {
  base_image = "debian:bookworm"
  entrypoint = "/app --serve"
  cmd        = ["serve", ["--port", "80"]]
  env        = ["A=1"]
  labels = {
    version = ["1"]
  }
}
