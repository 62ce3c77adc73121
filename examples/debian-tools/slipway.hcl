# syntax=127.0.0.1:5000/slipway/frontend:latest
#
# debian:bookworm with a few tools, installed the slipway way: resolved against the base image's own
# signed repositories, every .deb fetched by its checksum and installed by dpkg with no network, every
# package's source recorded, and slipway.lock.json beside this file so that rebuilds fetch no index.
#
#   docker buildx build -f examples/debian-tools/slipway.hcl -t debian-tools examples/debian-tools
#   docker buildx build -f examples/debian-tools/slipway.hcl --target lock \
#     --output type=local,dest=examples/debian-tools examples/debian-tools      # refresh the lock

image "debian-tools" {
  base_image = "debian:bookworm"

  apt {
    package "ca-certificates" {}
    package "curl" {}
    package "git" {}
    package "jq" {
      version = "1.6-2.1+deb12u2"
    }
    package "openssh-client" {}
  }

  cmd = ["bash"]
}
