# estaleiro's own declaration (estaleiro.hcl, 2019): the form slipway keeps reading.
image "cirocosta/estaleiro" {
  base_image = "ubuntu"

  apt {
    repositories = [
      "deb http://archive.ubuntu.com/ubuntu/ bionic universe",
      "deb-src http://archive.ubuntu.com/ubuntu/ bionic universe",
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
