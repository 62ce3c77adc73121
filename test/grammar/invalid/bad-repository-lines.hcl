image "app" {
  base_image = "debian:bookworm"

  apt {
    repositories = [
      "deb http://archive.example.org/debian bookworm",
      "rpm http://archive.example.org/fedora 39 main",
      "deb [trusted=yes] http://archive.example.org/debian bookworm main",
    ]
  }
}
