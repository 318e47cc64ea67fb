// `"""` strings: the text a program means, read back from the ConfigMap
// `claw build` writes (the line break after the opening quotes dropped, the
// closing line's indentation taken off every line).
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "tests/unit/test_fs.h"

namespace {

const char* kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n"
    "let name = \"world\"\n";

/// The text of config file `f` of service `app` whose value is `literal`.
std::string config_text(const std::string& literal) {
  claw::testing::BuildRun b;
  b.build(std::string(kNet) + "service app {\n  image = \"app:1\"\n  config {\n    \"f\" = " + literal + "\n  }\n}\n");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  for (const auto& doc : YAML::LoadAll(b.output("manifests/default/app.yaml")))
    if (doc["kind"].as<std::string>() == "ConfigMap") return doc["data"]["f"].as<std::string>();
  FAIL("no ConfigMap");
  return "";
}

}  // namespace

TEST_CASE("a \"\"\" string: the line break after the opening quotes and the closing line's indentation are not text") {
  struct Case {
    const char* literal;
    const char* text;
  };
  const Case cases[] = {
      // On one line: taken as written, blanks included.
      {R"("""a b""")", "a b"},
      {R"(""" a """)", " a "},
      {R"("""""")", ""},
      // The break after the opening quotes is dropped; the last line's stays.
      {"\"\"\"\nline\n\"\"\"", "line\n"},
      {"\"\"\"\r\nline\r\n\"\"\"", "line\r\n"},
      // Only one break is dropped: a blank first line is kept.
      {"\"\"\"\n\nline\n\"\"\"", "\nline\n"},
      // The closing quotes after text: nothing is stripped at the end.
      {"\"\"\"\nline\"\"\"", "line"},
      {"\"\"\"\n  line\n  \"\"\"", "line\n"},
      // The closing line's blanks come off every line, and only those.
      {"\"\"\"\n    server {\n      listen 80;\n    }\n    \"\"\"", "server {\n  listen 80;\n}\n"},
      {"\"\"\"\n\tkey = 1\n\t\"\"\"", "key = 1\n"},
      // A line with fewer blanks keeps what it has besides them.
      {"\"\"\"\n    a\n  b\n    \"\"\"", "a\nb\n"},
      // A blank line inside stays blank.
      {"\"\"\"\n    a\n\n    b\n    \"\"\"", "a\n\nb\n"},
      // Closing quotes after text keep every line's indentation.
      {"\"\"\"\n    a\n    b\"\"\"", "    a\n    b"},
      // No escapes; `${...}` still interpolates, after the indentation.
      {"\"\"\"\n  \\n ${name}\n  \"\"\"", "\\n world\n"},
      {"\"\"\"\n  ${name}\n    ${name}\n  \"\"\"", "world\n  world\n"},
      // `$${` is a literal `${`; a lone `$` or `$$` is text.
      {"\"\"\"\n  echo $${HOME} ${name}\n  \"\"\"", "echo ${HOME} world\n"},
      {"\"\"\"\n  cost $5, pid $$\n  \"\"\"", "cost $5, pid $$\n"},
      {R"("""$${a}$${b}""")", "${a}${b}"},
      {R"("""$$$${x}""")", "$$${x}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.literal);
    CHECK(config_text(c.literal) == c.text);
  }
}
