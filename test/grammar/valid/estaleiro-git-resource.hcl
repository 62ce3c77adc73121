# The shape of estaleiro's samples/git-resource.hcl: two apt blocks, files from a tarball.
image "concourse/git-resource" {
  base_image = "ubuntu:bionic"

  apt {
    package "ca-certificates" {}
    package "git" {}
  }

  apt {
    repositories = [
      "deb http://archive.example.org/ubuntu/ bionic universe",
      "deb-src http://archive.example.org/ubuntu/ bionic universe",
    ]

    package "git-lfs" {}
    package "jq" {}
  }

  file "/opt/resource/check" {
    from_tarball "assets.tgz" {
      path = "check"
    }
  }

  file "/opt/resource/in" {
    from_tarball "./assets.tgz" {
      path = "./in"
    }
  }
}

tarball "assets.tgz" {
  source_file "*" {
    vcs "git" {
      repository = "https://github.com/concourse/git-resource"
      ref        = "${ref}"
    }
  }
}
