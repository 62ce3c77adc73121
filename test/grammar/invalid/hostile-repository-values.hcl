image "app" {
  base_image = "debian:bookworm"

  apt {
    repositories = [
      "deb http://archive.example.org/debian bookworm main\ndeb http://evil.example.org/debian bookworm main",
      "deb file:/srv/mirror bookworm main",
      "deb http://archive.example.org/debian ../../etc main",
      "deb http://archive.example.org/debian bookworm ../../main",
      "deb http://user:secret@archive.example.org/debian bookworm main",
      "deb [signed-by=../keys/x.gpg] http://archive.example.org/debian bookworm main",
      "deb http://archive.example.org/debian?x=1 bookworm main",
      "deb\thttp://archive.example.org/debian bookworm main",
    ]
    repository "vendor" {
      uri        = "file:///srv/vendor"
      suite      = "bookworm/../.."
      components = ["main", "a b"]
    }
  }
}

image "replace-nothing" {
  base_image = "debian:bookworm"
  apt {
    replace_sources = true
    package "curl" {}
  }
}
