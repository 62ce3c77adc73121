image "app" {
  base_image = "debian:bookworm"

  file "/a" {
    from_git {
      repository = ""
      ref        = "main"
      path       = "a"
    }
  }
  file "/b" {
    from_git {
      repository = "file:///srv/repo"
      ref        = "main"
      path       = "b"
    }
  }
  file "/c" {
    from_git {
      repository = "/srv/repo"
      ref        = "main"
      path       = "c"
    }
  }
  file "/d" {
    from_git {
      repository = "--upload-pack=touch /tmp/x"
      ref        = "main"
      path       = "d"
    }
  }
  file "/e" {
    from_git {
      repository = "ext::sh -c touch% /tmp/x"
      ref        = "main"
      path       = "e"
    }
  }
  file "/f" {
    from_git {
      repository = "https://example.org/repo.git"
      ref        = "-x"
      path       = "f"
    }
  }
  file "/g" {
    from_git {
      repository = "https://example.org/repo.git"
      ref        = "main\nx"
      path       = "g"
    }
  }
  file "/h" {
    from_git {
      repository = "https://example.org/repo.git#v1"
      ref        = "v1:sub"
      path       = "h"
    }
  }
  file "/i" {
    from_git {
      repository = "https:///repo.git"
      ref        = "main"
      path       = "i"
    }
  }
}
