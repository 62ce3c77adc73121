image "app" {
  base_image = "debian:bookworm"

  file "/usr/local/bin/tool" {
    from_http {
      url    = "https://example.org/tool"
      sha256 = "2cf24dba5fb0a30e"
    }
  }

  apt {
    key "vendor" {
      uri    = "https://example.org/key.asc"
      sha256 = "not-a-digest"
    }
  }
}
