locals {
  packages = ["curl", "jq"]
  script = <<EOT
#!/bin/sh
%{ for p in local.packages ~}
echo ${p}
%{ endfor ~}
exit 0
EOT
}

image "templates" {
  base_image = "debian:bookworm"
  cmd        = ["/bin/sh", "-c", local.script]
  env = {
    LIST    = "%{ for i, p in local.packages }${i}=${p};%{ endfor }"
    IF      = "%{ if length(local.packages) > 1 }many%{ else }one%{ endif }"
    STRIP   = "a   ${~ "b" ~}   c"
    ESCAPED = "$${not_a_variable} %%{ not_a_directive }"
    WRAPPED = "${length(local.packages)}"
  }
}
