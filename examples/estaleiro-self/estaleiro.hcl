# syntax = slipway

# The shape of estaleiro's own final declaration (2019): a string base_image, extra apt repositories given as
# sources lines, two packages, and the frontend binary built by a Dockerfile step whose commit comes from the
# estaleiro-commit build argument. The repository host is a placeholder; point it at your own mirror.

# the final image to produce
#
image "cirocosta/estaleiro" {
  base_image = "ubuntu"

  apt {
    repositories = [
      "deb http://archive.example.org/ubuntu/ bionic universe",
      "deb-src http://archive.example.org/ubuntu/ bionic universe",
    ]
    package "ca-certificates" {}
    package "jq" {}
  }

  file "/usr/local/bin/estaleiro" {
    from_step "build" {
      path = "/bin/estaleiro"
    }
  }

  entrypoint = ["/usr/local/bin/estaleiro", "frontend"]
}

# performs the build of `estaleiro`.
#
step "build" {
  dockerfile = "./Dockerfile"
  target     = "build"

  source_file "/bin/estaleiro" {
    vcs "git" {
      repository = "https://github.com/cirocosta/estaleiro"
      ref        = "${estaleiro-commit}"
    }
  }
}
