# A required argument set to null is missing, not unset: the block would otherwise be dropped silently
# (and a file naming the step would find nothing).
step "build" {
  dockerfile = null
}

image "app" {
  base_image = "debian:bookworm"
  file "/etc/app.conf" {
    from_context {
      path = null
    }
  }
  file "/usr/bin/tool" {
    from_step "build" {
      path = "/out/tool"
    }
  }
}
