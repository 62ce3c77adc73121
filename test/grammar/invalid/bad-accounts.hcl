image "app" {
  base_image = "debian:bookworm"

  group "app" {
    gid = 10001
  }
  group "app" {
    gid = 10002
  }
  group "other" {
    gid = 10001
  }
  group "bad:name" {
    gid = 1
  }
  group "neg" {
    gid = -1
  }
  user "app" {
    uid    = 4294967295
    group  = "app"
  }
  user "x" {
    uid    = 1.5
    group  = "app"
    groups = ["a b", "app", "app"]
    home   = "home/x"
    shell  = "/"
  }
  user "y" {
    group = "app"
  }
}
