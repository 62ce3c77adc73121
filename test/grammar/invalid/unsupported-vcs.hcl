image "app" {
  base_image = "debian:bookworm"

  apt {
    package "tool" {
      version = "1.0-1"
      vcs "svn" {
        repository = "https://svn.example.org/tool"
        ref        = "r100"
      }
    }
  }
}
