# The shape of estaleiro's samples/docker-image-resource.hcl: a vendor key and packages with manual sources.
image "concourse/docker-image-resource" {
  base_image = "ubuntu:bionic"

  apt {
    repositories = [
      "deb https://download.example.org/linux/ubuntu bionic stable",
    ]

    key "docker" {
      uri    = "https://download.example.org/linux/ubuntu/gpg"
      sha256 = "SHA256:1500C1F56FA9E26B9B8F42452A553675796ADE0807CDCE11975EB98170B3A570"
    }

    package "jq" {}

    package "docker-ce" {
      version = "5:19.03.1~3-0~ubuntu-bionic"

      vcs "git" {
        repository = "https://github.com/docker/docker-ce"
        ref        = "19.03.1"
      }
    }
  }

  env = {
    "LANG" : "C.UTF-8"
    "DEBIAN_FRONTEND" : "noninteractive"
  }

  stopsignal = "SIGUSR2"
  volumes    = ["/var/lib/docker"]
  cmd        = ["/opt/resource/check"]
}
