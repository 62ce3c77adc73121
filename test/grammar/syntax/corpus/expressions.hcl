numbers = [0, 42, 3.14, 0.50, 1e3, 2.5E-3, -7, 10e+2]
bools   = [true, false, null]

arith   = 1 + 2 * 3 - 4 / 2 % 3
compare = a < b && b <= c || !(c > d) && d >= e == (f != g)
grouped = (1 + 2) * (3 - 4)
negate  = -x + -(-1)

cond   = enabled ? "on" : "off"
nested = a ? b : c ? d : e

access  = foo.bar.baz
indexed = list[0]["key"][n + 1]
legacy  = list.0.name
splat   = items.*.id
full    = items[*].tags["env"]
deep    = groups[*].members[*].name

calls        = upper(lower("X"))
nested_calls = join(",", [for s in split(" ", text) : trimspace(s)])
expand       = format("%s-%s", parts...)
multi_line_call = merge(
  { a = 1 },
  { b = 2 },
)

tuple = [
  "a",
  "b",

  "c",
]

object = {
  plain    = 1
  "quoted" = 2
  colon: 3
  "q-colon": 4
  (computed) = 5
  for_key    = 6
}
inline = { a = 1, b = [2, 3], c = { d = 4 } }

for_tuple  = [for i, v in values : v * i if i > 0]
for_object = { for k, v in m : upper(k) => v }
for_group  = { for v in vs : v.kind => v.name... if v.enabled }
for_lines = [
  for x in xs :
  x
  if x != ""
]
names-with-dashes = some-variable
keywords = {
  if       = 1
  in       = 2
  true_ish = true
}
