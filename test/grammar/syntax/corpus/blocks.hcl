# Block shapes.
empty {}
labelled "one" {}
two "labels" "here" {}
ident label {}
mixed "a" b "c" {}
single { attr = "value" }

outer {
  inner {
    innermost "x" {
      deep = true
    }
  }

  sibling "y" {}
  sibling "z" {}
}

/* A block comment
   over several lines. */
after_comment = 1 // trailing slash comment
