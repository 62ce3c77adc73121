plain     = "hello"
empty     = ""
escapes   = "tab\there\nnewline \"quoted\" back\\slash \u00e9 \U0001F600"
literal   = "$${not_interpolated} and %%{not_a_directive}"
interp    = "Hello, ${name}!"
only      = "${value}"
dashes    = "${estaleiro-commit}"
strip     = "a   ${~ b ~}   c"
nested    = "outer ${upper("inner ${x}")} end"
directive = "%{ if enabled }on%{ else }off%{ endif }"
loop      = "%{ for k, v in m }${k}=${v} %{ endfor }"
stripped = <<EOT
%{~ for item in items ~}
- ${item}
%{~ endfor ~}
EOT

heredoc = <<EOT
Plain heredoc text,
  with indentation kept, a \n that is not an escape,
and ${interpolation}.
EOT

indented = <<-EOT
    This heredoc's common indentation
      is removed,
    as HCL does with <<-.
    EOT

blank_lines = <<-EOT
    first

    after a blank line
  EOT

empty_heredoc = <<EOT
EOT

in_list = [
  <<-A
    one
    A
  ,
  "two",
]
