image "app" {
  base_image = "debian:bookworm"
  user       = "app\u001b[31m"
  workdir    = "/srv/\napp"
  env = {
    "A\tB" = "1"
    C      = "line one\nline two"
    D      = "nul\u0000here"
  }
  labels = {
    "org.example\u001b" = "x"
    "org.example.note"  = "tab\tand newline\n are text"
  }
  cmd = ["/bin/app", "--flag\u0000"]

  file "/etc/app\n.conf" {
    from_context {
      path = "app.conf"
    }
  }

  file "/etc/other.conf" {
    owner = "app\u0000"
    from_context {
      path = "other\u0007.conf"
    }
  }
}

step "build\tit" {
  dockerfile = "Dockerfile"
}

step "other" {
  dockerfile = "Dockerfile"
  build_args = {
    "A=B"     = "1"
    ""        = "2"
    "VERSION" = "two\nlines are text"
  }
}
