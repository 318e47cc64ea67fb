// claw fmt's layout, case by case: each rule of grammar/README.md's
// "Formatting" section, and comments in every position they can take.
// The expected texts are written by hand from those rules.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/format/format.h"

namespace {

struct Case {
  const char* name;
  const char* in;
  const char* out;
};

const std::vector<Case> kCases = {
    // -------------------------------------------------------- spacing
    {"spaces around `=` and after `:`, none before `:`",
     "let a:int=1\n", "let a: int = 1\n"},
    {"binary operators are spaced, unary minus is not",
     "let a = 1+2*3-x/ -4\n", "let a = 1 + 2 * 3 - x / -4\n"},
    {"a range has no spaces, nor does a call, an index or a field",
     "type t { p: int( 1 .. 65535 ) ; q: [ string ] ? }\nlet b = f ( 1 , 2 ) [ 0 ] . c\n",
     "type t { p: int(1..65535); q: [string]? }\nlet b = f(1, 2)[0].c\n"},
    {"a one-line block keeps spaces inside its braces; an empty one has none",
     "machine m {cpu=4;memory=8GiB}\nrole r {  }\n", "machine m { cpu = 4; memory = 8GiB }\nrole r {}\n"},
    {"a list has no spaces inside its brackets",
     "let l = [ 1,2 ,3 ]\nlet e = [ ]\n", "let l = [1, 2, 3]\nlet e = []\n"},
    {"a label and a repeat count are spaced",
     "machine g {gpu   \"RTX\"   x   2 {vram=24GiB}}\n", "machine g { gpu \"RTX\" x 2 { vram = 24GiB } }\n"},
    {"a template's parameters and a declaration's source",
     "template w( n:int=1 ,m: string )service{replicas=n}\nservice a=w(n=2,m=\"x\")\n",
     "template w(n: int = 1, m: string) service { replicas = n }\nservice a = w(n = 2, m = \"x\")\n"},
    {"a type's shorthand, and its parent after a spaced `:`", "type t ( v ):base { v: int }\ntype u:base {}\n",
     "type t(v) : base { v: int }\ntype u : base {}\n"},
    {"a map type is tight like a list type; an empty record is `{}`",
     "type t {m:{ string:int }={ }}\nlet a: { string: [ int ] } = { }\n",
     "type t { m: {string: int} = {} }\nlet a: {string: [int]} = {}\n"},
    // -------------------------------------------------------- lines and indentation
    {"members of a block written on several lines are indented two spaces",
     "machine m {\ncpu = 4\n        memory = 8GiB\n}\n", "machine m {\n  cpu = 4\n  memory = 8GiB\n}\n"},
    {"tabs are not kept", "machine m {\n\tcpu\t=\t4\n}\n", "machine m {\n  cpu = 4\n}\n"},
    {"a block on several lines has its braces at the ends",
     "machine m { cpu = 4\n  memory = 8GiB }\n", "machine m {\n  cpu = 4\n  memory = 8GiB\n}\n"},
    {"in a block on several lines a member starts a line unless `;` or `,` joins it",
     "machine m {\n  cpu = 4; memory = 8GiB\n  disk = 1TiB arch = amd64 os = linux\n}\n",
     "machine m {\n  cpu = 4; memory = 8GiB\n  disk = 1TiB\n  arch = amd64\n  os = linux\n}\n"},
    {"the same at the top level", "let a = 1 let b = 2; let c = 3\n", "let a = 1\nlet b = 2; let c = 3\n"},
    {"enum values joined by commas stay on their line",
     "enum e {\n  a, b\n  c d\n}\nenum f { x y }\n", "enum e {\n  a, b\n  c\n  d\n}\nenum f { x y }\n"},
    {"nested blocks indent once per level",
     "service s {\nenv {\nA = \"1\"\n}\nresources { cpu = 1 }\n}\n",
     "service s {\n  env {\n    A = \"1\"\n  }\n  resources { cpu = 1 }\n}\n"},
    {"a block opens on the line of its owner", "machine m\n{\n  cpu = 4\n}\n", "machine m {\n  cpu = 4\n}\n"},
    {"an empty block written on several lines becomes `{}`", "role r {\n\n}\n", "role r {}\n"},
    {"a list on several lines keeps its breaks; its items are indented",
     "let l = [\n\"a\",\n    \"b\",\n]\n", "let l = [\n  \"a\",\n  \"b\",\n]\n"},
    {"a list closed on the last item's line", "let l = [1,\n2]\n", "let l = [1,\n  2]\n"},
    {"an expression continued on the next line is indented once more",
     "let a = 1 +\n2 +\n3\nlet b =\n4\n", "let a = 1 +\n  2 +\n  3\nlet b =\n  4\n"},
    {"a call whose block closes with the call", "service a = w(\nn = 1,\n) {\nreplicas = 2\n}\n",
     "service a = w(\n  n = 1,\n) {\n  replicas = 2\n}\n"},
    {"closing brackets on one line take the indentation of the outermost",
     "let a = f({\nx = 1\n})\n", "let a = f({\n  x = 1\n})\n"},
    // -------------------------------------------------------- blank lines
    {"blank lines are kept, collapsed to one",
     "let a = 1\n\n\n\nlet b = 2\n", "let a = 1\n\nlet b = 2\n"},
    {"no blank line after `{` or before `}`", "machine m {\n\n  cpu = 4\n\n  memory = 8GiB\n\n}\n",
     "machine m {\n  cpu = 4\n\n  memory = 8GiB\n}\n"},
    {"no blank lines at the start or the end", "\n\n\nlet a = 1\n\n\n", "let a = 1\n"},
    {"a final newline is added", "let a = 1", "let a = 1\n"},
    {"trailing blanks and CRLF line ends go", "let a = 1   \r\nlet b = 2\t\r\n", "let a = 1\nlet b = 2\n"},
    {"an empty file stays empty", "", ""},
    {"a byte order mark is kept", "\xEF\xBB\xBFlet a=1\n", "\xEF\xBB\xBFlet a = 1\n"},
    {"a file of blanks becomes empty", "  \n\n\t\n", ""},
    // -------------------------------------------------------- verbatim tokens
    {"strings and numbers are copied as written",
     "let a = \"x  ${ b }  y\"\nlet c = 1_000\nlet d = 1.50GiB\n", "let a = \"x  ${ b }  y\"\nlet c = 1_000\nlet d = 1.50GiB\n"},
    {"a triple-quoted string keeps its lines and blanks",
     "service s {\n    config = \"\"\"\n  a:   \n    b\n\"\"\"\n}\n", "service s {\n  config = \"\"\"\n  a:   \n    b\n\"\"\"\n}\n"},
    {"quoted keys", "service s { env { \"A-B\"=\"1\" } }\n", "service s { env { \"A-B\" = \"1\" } }\n"},
    // -------------------------------------------------------- comments
    {"a comment before a declaration stays before it",
     "  // the box\nmachine m { cpu = 4 }\n", "// the box\nmachine m { cpu = 4 }\n"},
    {"an end-of-line comment stays on its line, one space after the code",
     "let a = 1      // one\n", "let a = 1 // one\n"},
    {"end-of-line comments of consecutive lines are aligned",
     "machine m {\n  cpu = 4 // cores\n  memory = 8GiB // RAM\n\n  disk = 1TiB // disk\n}\n",
     "machine m {\n  cpu = 4       // cores\n  memory = 8GiB // RAM\n\n  disk = 1TiB // disk\n}\n"},
    {"a line without a comment ends a run of aligned comments",
     "let a = 1 // x\nlet bbbb = 2\nlet c = 3 // y\nlet dd = 4 // z\n",
     "let a = 1 // x\nlet bbbb = 2\nlet c = 3  // y\nlet dd = 4 // z\n"},
    {"comments inside a block between members are indented with them",
     "machine m {\n// cores\ncpu = 4\n      // memory\nmemory = 8GiB\n}\n",
     "machine m {\n  // cores\n  cpu = 4\n  // memory\n  memory = 8GiB\n}\n"},
    {"a comment after `{` stays on its line", "machine m { // the box\ncpu = 4\n}\n",
     "machine m { // the box\n  cpu = 4\n}\n"},
    {"a comment before `}` is indented as a member", "machine m {\n  cpu = 4\n// end\n}\n",
     "machine m {\n  cpu = 4\n  // end\n}\n"},
    {"a comment at the end of the file", "let a = 1\n\n   // last\n", "let a = 1\n\n// last\n"},
    {"block comments: leading, inside and trailing",
     "/* head */ let a = /* mid */ 1 /* tail */\n", "/* head */ let a = /* mid */ 1 /* tail */\n"},
    {"a block comment leading a member keeps it on its line",
     "machine m {\n  /* c */ cpu = 4\n}\n", "machine m {\n  /* c */ cpu = 4\n}\n"},
    {"a block comment on several lines is copied, trailing blanks removed",
     "/* one   \n   two\n*/\nlet a = 1\n", "/* one\n   two\n*/\nlet a = 1\n"},
    {"a comment's trailing blanks go", "let a = 1 // x   \n", "let a = 1 // x\n"},
    {"a comment between a list's items", "let l = [\n1, // one\n// two next\n2,\n]\n",
     "let l = [\n  1, // one\n  // two next\n  2,\n]\n"},
    {"comments are not moved across a member break",
     "machine m {\n  cpu = 4 /* four */ memory = 8GiB // eight\n}\n",
     "machine m {\n  cpu = 4 /* four */\n  memory = 8GiB // eight\n}\n"},
    {"a comment before a block's brace keeps the brace on the next line",
     "machine m // the box\n{ cpu = 4 }\n", "machine m // the box\n  { cpu = 4 }\n"},
};

}  // namespace

TEST_CASE("fmt: each layout rule, case by case") {
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    auto got = claw::format::format_source(c.in);
    REQUIRE_MESSAGE(got.has_value(), c.name);
    CHECK_EQ(*got, std::string(c.out));
    // Every expected text is itself formatted.
    auto again = claw::format::format_source(c.out);
    REQUIRE(again.has_value());
    CHECK_EQ(*again, std::string(c.out));
  }
}

TEST_CASE("fmt: a file with a syntax error gives its diagnostics, not a text") {
  for (const char* in : {"machine m { cpu = }\n", "let = 1\n", "machine m { cpu = 4\n", "let s = \"open\n", "/* open\n"}) {
    CAPTURE(in);
    auto got = claw::format::format_source(in, claw::source::FileId{3});
    REQUIRE_FALSE(got.has_value());
    REQUIRE(got.error().has_errors());
    CHECK(got.error().all().front().span.file == claw::source::FileId{3});
  }
}
