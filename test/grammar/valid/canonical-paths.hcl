# Paths in the image reach the model in one canonical form; text values keep their newlines and tabs.
image "app" {
  base_image = "debian:bookworm"
  workdir    = "/srv/./app/"
  volumes    = ["/var//lib/app", "/data/cache/../db"]
  env = {
    CERT = "-----BEGIN-----\nabc\n-----END-----"
  }
  labels = {
    "org.example.note" = "a\ttabbed note"
  }

  file "/usr/local//bin/./tool" {
    mode = "4755"
    from_http {
      url    = "HTTPS://example.org/tool"
      sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
    }
  }

  file "/opt/tools/./" {
    from_image {
      image = "debian:bookworm"
      path  = "/usr//bin/../bin/env"
    }
  }

  file "/usr/share/licenses/tool/LICENSE" {
    from_git {
      repository = "git@github.com:owner/tool.git"
      ref        = "v1.2.3"
      path       = "./LICENSE"
    }
  }
}
