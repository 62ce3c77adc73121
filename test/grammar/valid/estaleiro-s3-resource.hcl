# The shape of estaleiro's samples/s3-resource.hcl: a step with a context and a wildcard source.
image "concourse/s3-resource" {
  base_image = "ubuntu:bionic"

  apt {
    package "tzdata" {}
    package "unzip" {}
  }

  file "/opt/resource/check" {
    from_step "build" {
      path = "/assets/check"
    }
  }

  file "/opt/resource/in" {
    from_step "build" {
      path = "/assets/in"
    }
  }
}

step "build" {
  dockerfile = "./s3-resource/dockerfiles/ubuntu/Dockerfile"
  context    = "./s3-resource"
  target     = "builder"

  source_file "/assets/*" {
    vcs "git" {
      repository = "https://github.com/concourse/s3-resource"
      ref        = "${ref}"
    }
  }
}
