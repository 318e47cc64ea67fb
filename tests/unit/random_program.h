// Random programs that the grammar (grammar/Claw.g4) accepts, from a seed:
// every kind of item, member, type and expression, with random blanks, line
// breaks and comments between the tokens. For claw fmt's fuzz-style test;
// what the programs mean is not checked, only that they parse.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace claw::testing {

class RandomProgram {
 public:
  explicit RandomProgram(uint32_t seed) : rng_(seed) {}

  /// One file of a few top-level items.
  std::string file() {
    out_.clear();
    const int items = pick(1, 8);
    for (int i = 0; i < items; ++i) item();
    if (chance(3)) gap();
    return out_;
  }

 private:
  std::mt19937 rng_;
  std::string out_;
  int comments_ = 0;
  int depth_ = 0;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int one_in) { return pick(1, one_in) == 1; }
  template <class T>
  const T& any(const std::vector<T>& v) {
    return v[static_cast<size_t>(pick(0, static_cast<int>(v.size()) - 1))];
  }

  /// What separates two tokens: never nothing, so the formatter decides
  /// every join itself.
  void gap() {
    switch (pick(0, 11)) {
      case 0: out_ += "\n"; break;
      case 1: out_ += "\n\n\n"; break;
      case 2: out_ += "   "; break;
      case 3: out_ += "\t"; break;
      case 4: out_ += " /* c" + std::to_string(++comments_) + " */ "; break;
      case 5: out_ += " // c" + std::to_string(++comments_) + "  \n"; break;
      case 6: out_ += "\n  // c" + std::to_string(++comments_) + "\n"; break;
      case 7: out_ += " \r\n"; break;
      default: out_ += " "; break;
    }
  }
  void tok(const std::string& t) {
    if (!out_.empty()) gap();
    out_ += t;
  }

  std::string name() { return any<std::string>({"a", "web", "b-2", "_x", "node_role", "api-v1", "n"}); }
  void key() {
    if (chance(6)) tok(any<std::string>({"\"k\"", "\"a.b/c\"", "\"X-Y\""}));
    else if (chance(8)) tok(any<std::string>({"x", "service", "type", "secret", "import"}));  // keywords are names here
    else tok(name());
  }
  std::string decl_kind() {
    return any<std::string>({"cluster", "machine", "role", "service", "job", "cron", "daemon", "chart", "secret", "resource"});
  }
  void separator() {
    if (chance(3)) tok(any<std::string>({";", ","}));
  }

  void item() {
    switch (pick(0, 6)) {
      case 0: tok("import"); tok("\"lib.claw\""); break;
      case 1:
        tok("let"); tok(name());
        if (chance(2)) { tok(":"); type(); }
        tok("="); expr();
        break;
      case 2: type_decl(); break;
      case 3:
        tok("enum"); tok(name()); tok("{");
        for (int i = pick(0, 4); i > 0; --i) { tok(name()); separator(); }
        tok("}");
        break;
      case 4: template_decl(); break;
      case 5: tok(";"); break;
      default: decl(); break;
    }
  }

  void type_decl() {
    tok("type"); tok(name());
    if (chance(3)) { tok("("); tok(name()); tok(")"); }
    if (chance(3)) { tok(":"); tok(name()); }
    tok("{");
    for (int i = pick(0, 4); i > 0; --i) {
      key();
      if (!chance(4)) { tok(":"); type(); }
      if (chance(2)) { tok("="); expr(); }
      separator();
    }
    tok("}");
  }

  void template_decl() {
    tok("template"); tok(name()); tok("(");
    for (int i = pick(0, 3), first = 1; i > 0; --i, first = 0) {
      if (!first) tok(",");
      tok(name()); tok(":"); type();
      if (chance(2)) { tok("="); expr(); }
    }
    tok(")"); tok(decl_kind()); block();
  }

  void decl() {
    tok(decl_kind()); tok(name());
    if (chance(3)) {
      tok("="); tok(name());
      if (chance(2)) { tok("("); args(); tok(")"); }
    }
    if (!chance(5)) block();
  }

  void type() {
    ++depth_;
    const int k = depth_ > 3 ? 0 : pick(0, 3);
    if (k == 1) { tok("["); type(); tok("]"); }
    else if (k == 2) { tok("{"); type(); tok(":"); type(); tok("}"); }
    else {
      tok(any<std::string>({"int", "string", "bytes", "bool", "web"}));
      if (k == 3) {
        tok("(");
        if (!chance(3)) expr();
        tok("..");
        if (!chance(3)) expr();
        tok(")");
      }
    }
    if (chance(4)) tok("?");
    --depth_;
  }

  void block() {
    ++depth_;
    tok("{");
    for (int i = depth_ > 3 ? 0 : pick(0, 4); i > 0; --i) {
      member();
      separator();
    }
    tok("}");
    --depth_;
  }

  void member() {
    key();
    for (int i = chance(4) ? pick(1, 2) : 0; i > 0; --i) { tok("."); key(); }
    switch (pick(0, 3)) {
      case 0: tok("="); expr(); break;
      case 1: block(); break;
      default:
        // A label; `x` is never a name here, so `x N` is only ever a repeat.
        if (chance(3)) tok(any<std::string>({"\"RTX PRO 4500\"", "\"k=v:NoSchedule\""}));
        else tok(name());
        if (chance(3)) { tok("x"); tok(std::to_string(pick(1, 4))); }
        if (chance(2)) { tok("="); expr(); }
        else block();
        break;
    }
  }

  void args() {
    const int n = pick(0, 3);
    for (int i = 0; i < n; ++i) {
      if (i > 0) tok(",");
      if (chance(2)) { tok(name()); tok("="); }
      expr();
    }
    if (n > 0 && chance(4)) tok(",");
  }

  void expr() {
    ++depth_;
    const int k = depth_ > 4 ? 0 : pick(0, 9);
    switch (k) {
      case 1: expr(); tok("."); key(); break;
      case 2: expr(); tok("["); expr(); tok("]"); break;
      case 3: tok("-"); expr(); break;
      case 4: expr(); tok(any<std::string>({"+", "-", "*", "/"})); expr(); break;
      case 5: tok("("); expr(); tok(")"); break;
      case 6: tok("["); for (int i = pick(0, 3), f = 1; i > 0; --i, f = 0) { if (!f) tok(","); expr(); } tok("]"); break;
      case 7: block(); break;
      case 8: tok(name()); if (chance(2)) { tok("("); args(); tok(")"); } else block(); break;
      default: primary(); break;
    }
    --depth_;
  }

  void primary() {
    tok(any<std::string>({"1", "1_000", "2.5", "24GiB", "500m", "1.5GB", "\"s\"", "\"a ${b} c\"", "\"\\\"q\\\"\"",
                          "\"\"\"\n  two  \nlines\"\"\"", "true", "false", "null", "web", "secret(\"k\")"}));
  }
};

}  // namespace claw::testing
