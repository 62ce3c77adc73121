image "app" {
  base_image = "debian:bookworm"

  file "/bin/busybox" {
    from_image {
      image = "busybox:1.36@sha256:abc"
      path  = "/bin/busybox"
    }
  }

  file "/bin/tool" {
    from_image {
      image = "Registry.Example.org:5000/Tools"
      path  = "/bin/tool"
    }
  }
}
