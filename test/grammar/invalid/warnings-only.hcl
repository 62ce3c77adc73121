image "app" {
  base_image = "debian:bookworm"

  apt {
    key "vendor" {
      uri = "https://apt.example.org/key.asc"
    }
  }

  file "/bin/tool" {
    mode = 755
    from_http {
      url    = "http://example.org/tool"
      sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    }
  }
}

step "unused" {
  dockerfile = "Dockerfile"
}
