


# A declaration written carelessly: every formatting rule has something to do here.
variable    "tag"{
default="1.0"
   }
image "app"   {
base_image="debian:bookworm"    # the base
	entrypoint=["/bin/app","serve"]
  cmd = [ "--port" , 8080 ]
        user="app"



    env={
  A="1"
      LONGER="2"
  "with.dot" : "3"
    }
  labels = merge( local.labels ,{
"a"="b"
  })
  workdir=var.debug?"/tmp":"/srv"
expose=[for p in local.ports:p+1 if p>0]
    apt{
  package "jq"{
  }
  package "curl" {version="7.88"}
    }
  file "/etc/motd" {
      from_context { path="motd" }
      mode = "0644"
  }
  description = <<-EOT
        Untouched   heredoc
      text.
    EOT
  // a comment at the end
}
