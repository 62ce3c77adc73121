// A slipway declaration using most of the language.

variable "tag" {
  default     = "1.0.0"
  description = "The version stamped into the image."
}

variable "registry" {
  default = "127.0.0.1:5000"
}

locals {
  owner  = "app:app"
  home   = "/srv/app"
  ports  = [8080, 9090]
  commit = "0123456789abcdef0123456789abcdef01234567"
  labels = { team = "platform", tier = "backend" }
}

image "app" {
  base_image = "debian:bookworm"
  platforms  = ["linux/amd64", "linux/arm64"]

  entrypoint = ["/usr/local/bin/app"]
  cmd        = ["serve", "--port", "${local.ports[0]}"]
  user       = local.owner
  workdir    = local.home
  expose     = local.ports
  volumes    = ["${local.home}/data"]
  stopsignal = "SIGTERM"

  env = {
    APP_HOME    = local.home
    APP_VERSION = tag
    PATH        = "/usr/local/bin:/usr/bin:/bin"
  }

  labels = merge(local.labels, {
    "org.opencontainers.image.version"  = tag
    "org.opencontainers.image.revision" = local.commit
  })

  healthcheck {
    test     = ["CMD", "/usr/local/bin/app", "health"]
    interval = "30s"
    timeout  = "5s"
    retries  = 3
  }

  apt {
    install_recommends = false

    repository "main" {
      uri        = "http://deb.example.org/debian/"
      suite      = "bookworm"
      components = ["main", "contrib"]
      key        = file("keys/example.asc")
    }

    package "ca-certificates" {}
    package "curl" {
      version = "7.88.1-10+deb12u5"
    }
    package "tzdata" { version = "2024a-0+deb12u1" }
  }

  file "/usr/local/bin/app" {
    from_step "build" {
      path = "/out/app"
    }
    mode  = "0755"
    owner = local.owner
  }

  file "/etc/app/config.json" {
    from_context {
      path = "conf/config.json"
    }
  }

  file "/usr/share/app/LICENSE" {
    from_http {
      url    = "https://example.org/LICENSE"
      sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    }
  }

  file "/usr/bin/tini" {
    from_image {
      image = "${registry}/tini:0.19"
      path  = "/tini"
    }
  }

  bom {
    path            = "/usr/share/bom"
    estaleiro_label = true
  }
}

step "build" {
  dockerfile = "./Dockerfile"
  target     = "build"
  context    = "."
  build_args = {
    VERSION = tag
    COMMIT  = local.commit
  }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://github.com/example/app"
      ref        = local.commit
    }
  }
}
