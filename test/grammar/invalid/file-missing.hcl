image "app" {
  base_image = "debian:bookworm"

  apt {
    repository "vendor" {
      uri        = "https://apt.example.org/debian"
      suite      = "bookworm"
      components = ["main"]
      key        = file("keys/vendor.asc")
    }
  }
}
