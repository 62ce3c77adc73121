image "app" {
  base_image = "debian:bookworm"

  file "/a" {
    from_http {
      url    = "https://?x"
      sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
  file "/b" {
    from_http {
      url    = "ftp://example.org/b"
      sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
  file "/c" {
    from_http {
      url    = "https://example.org/c\u001b"
      sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
}
