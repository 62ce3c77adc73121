image "app" {
  base_image = "debian:bookworm"

  apt {
    repository "vendor" {
      uri   = "deb https://apt.example.org/debian bookworm main"
      suite = "bookworm"
    }

    repository "flat" {
      uri        = "https://apt.example.org/flat"
      suite      = "./"
      components = ["main"]
      types      = ["deb", "rpm"]
    }
  }
}
