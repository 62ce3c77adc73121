image "app" {
  base_image = "debian:bookworm"
  volumes    = ["/data", "/data/", "/srv/../data"]
  workdir    = "/../srv"

  file "/etc/a" {
    from_context {
      path = "a"
    }
  }
  file "/etc//a" {
    from_context {
      path = "a"
    }
  }
  file "/etc/./a" {
    from_context {
      path = "a"
    }
  }
  file "/etc/b/../a" {
    from_context {
      path = "a"
    }
  }
  file "/" {
    from_context {
      path = "a"
    }
  }
  file "/./" {
    from_context {
      path = "a"
    }
  }
  file "/../etc/passwd" {
    from_context {
      path = "a"
    }
  }
  file "/opt/tool" {
    from_image {
      image = "debian:bookworm"
      path  = "/usr/../../bin/tool"
    }
  }
}

image "dirs" {
  base_image = "debian:bookworm"

  file "/opt/x/" {
    from_context {
      path = "a"
    }
  }
  file "/opt//x" {
    from_context {
      path = "a"
    }
  }
}
