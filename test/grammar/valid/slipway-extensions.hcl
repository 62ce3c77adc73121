image "127.0.0.1:5000/app" {
  base_image = "127.0.0.1:5000/debian:bookworm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  platforms  = ["linux/amd64", "linux/aarch64", "linux/arm"]

  user    = "app:app"
  workdir = "/srv/app"
  expose  = [8080, "53/udp", "9090/TCP"]
  labels = {
    "org.opencontainers.image.title" = "app"
    "org.opencontainers.image.version" = "1.2.3"
  }
  entrypoint = ["/usr/local/bin/app"]
  cmd        = ["serve"]

  healthcheck {
    test           = "curl -f http://localhost:8080/healthz"
    interval       = "30s"
    timeout        = "1m30s"
    start_period   = "1.5s"
    start_interval = "0"
    retries        = 3
  }

  bom {
    path            = "/usr/share/doc/bom"
    estaleiro_label = true
  }

  apt {
    install_recommends = false

    repository "vendor" {
      uri           = "https://apt.example.org/debian"
      suite         = "bookworm"
      components    = ["main", "contrib"]
      architectures = ["amd64", "arm64"]
      types         = ["deb"]
      key           = file("keys/vendor.asc")
    }

    repository "legacy" {
      uri = "deb [arch=amd64 signed-by=/usr/share/keyrings/legacy.gpg] https://legacy.example.org/debian bookworm main"
    }

    package "vendor-tool" {
      version = "1:2.0-1"
    }
  }

  file "/etc/app/app.conf" {
    mode  = "0644"
    owner = "app:app"

    from_context {
      path = "./conf//app.conf"
    }
  }

  file "/usr/local/bin/helper" {
    mode = 493

    from_http {
      url    = "https://downloads.example.org/helper-1.0"
      sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    }
  }

  file "/usr/share/licenses/tool/LICENSE" {
    from_git {
      repository = "https://github.com/example/tool"
      ref        = "v1.0.0"
      path       = "LICENSE"
    }
  }

  file "/bin/busybox" {
    owner = "1000"

    from_image {
      image = "busybox:1.36"
      path  = "/bin/busybox"
    }
  }

  file "/usr/local/bin/app" {
    mode = "755"

    from_step "build" {
      path = "/out/app"
    }
  }
}

step "build" {
  dockerfile = "build/Dockerfile"
  context    = "."
  target     = "out"
  build_args = {
    GO_VERSION = "1.22"
    CGO_ENABLED = 0
  }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = "0123456789abcdef0123456789abcdef01234567"
    }
  }
}
