# slipway's extension: labels may interpolate (HCL itself only allows literal labels).
image "${registry}/app" {
  base_image = "debian:bookworm"
}

image "app-${variant}" {
  base_image = "debian:${suite}"
}
