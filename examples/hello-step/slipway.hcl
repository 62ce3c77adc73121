# syntax=127.0.0.1:5000/slipway/frontend:latest
#
# A small service image: a script built by a Dockerfile step, its configuration from the build context,
# on debian:bookworm. Build it (and its bill of materials) with:
#
#   docker buildx build -f examples/hello-step/slipway.hcl -t hello-step examples/hello-step
#   docker buildx build -f examples/hello-step/slipway.hcl --target bom --output type=local,dest=bom examples/hello-step

variable "greeting" {
  type        = string
  default     = "hello from slipway"
  description = "What the service says."
}

image "hello-step" {
  base_image = "debian:bookworm"

  file "/usr/local/bin/hello" {
    from_step "build" {
      path = "/out/hello"
    }
  }

  file "/etc/hello/hello.conf" {
    from_context {
      path = "config/hello.conf"
    }
    mode = "0644"
  }

  entrypoint = ["/usr/local/bin/hello"]
  env        = { HELLO_CONFIG = "/etc/hello/hello.conf" }
  user       = "nobody"
  workdir    = "/etc/hello"
  labels = {
    "org.opencontainers.image.title"  = "hello-step"
    "org.opencontainers.image.source" = "https://example.org/slipway/examples"
  }
  stopsignal = "SIGTERM"

  bom {
    path = "/usr/share/slipway/bom"
  }
}

step "build" {
  dockerfile = "Dockerfile"
  target     = "script"
  build_args = { GREETING = greeting }

  source_file "/out/*" {
    vcs "git" {
      repository = "https://example.org/slipway/examples"
      ref        = "main"
    }
  }
}
