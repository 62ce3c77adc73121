image "app" {
  entrypoint = ["/app"]
}
