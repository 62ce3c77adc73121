step "build" {
  dockerfile = "Dockerfile"
}
