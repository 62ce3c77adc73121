# syntax=127.0.0.1:5000/slipway/frontend:latest
#
# A data-only image from scratch: two members of a tarball in the build context, each with the git
# origin its `source_file` declares (estaleiro's rule: every file says where it comes from).
#
#   docker buildx build -f examples/scratch-assets/slipway.hcl --output type=oci,dest=assets.oci.tar examples/scratch-assets

image "scratch-assets" {
  base_image = "scratch"

  file "/etc/assets.conf" {
    from_tarball "assets.tgz" {
      path = "./etc/assets.conf"
    }
  }

  file "/usr/share/doc/assets/README" {
    from_tarball "assets.tgz" {
      path = "share/doc/assets/README"
    }
  }

  labels = { "org.opencontainers.image.title" = "scratch-assets" }
}

tarball "assets.tgz" {
  source_file "etc/*" {
    vcs "git" {
      repository = "https://example.org/assets"
      ref        = "v1.0.0"
    }
  }
  source_file "share/doc/assets/*" {
    vcs "git" {
      repository = "https://example.org/assets-docs"
      ref        = "v1.0.0"
    }
  }
}
