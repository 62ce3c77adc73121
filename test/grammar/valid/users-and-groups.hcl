# Accounts the image gains: the base image's stay, these are added.
image "app" {
  base_image = "debian:bookworm"

  group "app" {
    gid = 10001
  }
  group "deploy" {
    gid = 10002
  }

  user "app" {
    uid    = 10001
    group  = "app"
    groups = ["deploy", "users"]
    home   = "/home//app/"
  }
  user "svc" {
    uid         = 10002
    group       = "nogroup"
    home        = "/var/lib/svc"
    shell       = "/usr/sbin/nologin"
    create_home = false
  }

  user = "app"
}
