image "app" {
  base_image = "debian:bookworm"

  apt {
    package "curl" {}
  }

  apt {
    package "jq" {}
    package "curl" {
      version = "7.88.1-10"
    }
  }
}
