// User text in diagnostics: hostile strings are escaped and huge ones
// shortened, in the helper and through both renderers.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/diag/display.h"
#include "compiler/diag/render.h"
#include "compiler/source/source.h"

namespace claw::diag {
namespace {

// Whether `s` holds a byte a terminal would act on rather than show: a C0
// control other than the renderer's own line ends, DEL, or the UTF-8 of a
// C1 control, a separator, a bidi control or a zero-width character.
bool has_hidden(std::string_view s, bool allow_newline) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && !(allow_newline && c == '\n')) || c == 0x7f) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      auto d = static_cast<unsigned char>(s[i + 2]);
      if ((d >= 0x8B && d <= 0x8F) || (d >= 0xA8 && d <= 0xAE)) return true;
    }
  }
  return false;
}

TEST_CASE("escape_text: each hostile character has its escape") {
  struct Row {
    std::string in, out;
  };
  const Row rows[] = {
      {"plain text", "plain text"},
      {"a\nb", "a\\nb"},
      {"a\r\nb", "a\\r\\nb"},
      {"tab\there", "tab\\there"},
      {std::string("nul\0x", 5), "nul\\x00x"},
      {"\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"},       // clear screen, colour
      {"\x1b]0;title\x07", "\\x1b]0;title\\x07"},            // set the window title
      {"del\x7f", "del\\x7f"},
      {"\xc2\x9b" "31m", "\\u{009b}31m"},                    // CSI as a C1 control
      {"\xc2\x85next", "\\u{0085}next"},                     // NEL
      {"line\xe2\x80\xa8sep", "line\\u{2028}sep"},           // LINE SEPARATOR
      {"para\xe2\x80\xa9sep", "para\\u{2029}sep"},           // PARAGRAPH SEPARATOR
      {"\xe2\x80\xae" "evil", "\\u{202e}evil"},              // RIGHT-TO-LEFT OVERRIDE
      {"\xe2\x81\xa6iso", "\\u{2066}iso"},                   // LEFT-TO-RIGHT ISOLATE
      {"zero\xe2\x80\x8bwidth", "zero\\u{200b}width"},
      {"\xef\xbb\xbf" "bom", "\\u{feff}bom"},
      {"bad\x9b" "byte", "bad\\x9bbyte"},                    // a lone continuation byte
      {"\xc0\xaf", "\\xc0\\xaf"},                            // overlong '/'
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},                   // a surrogate
      {"cut\xe2\x82", "cut\\xe2\\x82"},                      // truncated sequence
      {"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80"},  // printable non-ASCII stays
      {"back\\slash `code` \"q\"", "back\\slash `code` \"q\""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(escape_text(r.in) == r.out);
    CHECK_FALSE(has_hidden(escape_text(r.in), false));
  }
}

TEST_CASE("escape_text: every single byte comes out printable") {
  for (int b = 0; b < 256; ++b) {
    std::string in = "x";
    in += static_cast<char>(b);
    in += 'y';
    CAPTURE(b);
    CHECK_FALSE(has_hidden(escape_text(in), false));
  }
}

TEST_CASE("shorten_text: a huge text keeps its ends and says how much was left out") {
  CHECK(shorten_text("short") == "short");
  std::string exact(kMaxShownText, 'a');
  CHECK(shorten_text(exact) == exact);
  std::string huge = "HEAD" + std::string(5 << 20, 'x') + "TAIL";
  std::string shown = shorten_text(huge);
  CHECK(shown.size() < kMaxShownText + 40);
  CHECK(shown.starts_with("HEAD"));
  CHECK(shown.ends_with("TAIL"));
  // 480 * 2 / 3 = 320 bytes kept in front, 160 behind.
  CHECK(shown.find("…(" + std::to_string(huge.size() - 320 - 160) + " bytes left out)…") != std::string::npos);
  // Cuts fall between characters: 3-byte characters are never split.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += "\xe2\x9c\x93";
  std::string cut = shorten_text(wide);
  CHECK(escape_text(cut).find("\\x") == std::string::npos);
}

TEST_CASE("both renderers show hostile diagnostic text safely") {
  source::SourceManager sm;
  auto id = sm.add("net\x1b[2J.claw", "let x = 1\n");
  std::string forged = "first\nnet.claw:1:1: error: forged [syntax]\x1b[2J\xe2\x80\xa8";
  std::string huge(5 << 20, 'z');
  Diagnostic d = make(Kind::BadSchedule, source::Span{id, 4, 5}, "\"" + forged + huge + "\" is not a cron schedule");
  d.note(source::Span{id, 0, 3}, "note " + forged).hint("hint " + forged + huge).fixit(source::Span{id, 4, 5}, forged);
  d.note(source::Span{}, "loose " + forged);

  std::string text = render_text(sm, d);
  CHECK_FALSE(has_hidden(text, true));
  CHECK(text.size() < 4000);
  // The forged line break is shown, not taken: each line starts as the renderer starts it.
  CHECK(text.find("\nnet.claw:1:1: error: forged") == std::string::npos);
  CHECK(text.find("first\\nnet.claw:1:1: error: forged [syntax]\\x1b[2J\\u{2028}") != std::string::npos);
  CHECK(text.find("net\\x1b[2J.claw:1:5: error:") == 0);
  CHECK(text.find("bytes left out") != std::string::npos);
  CHECK(text.find("is not a cron schedule [bad-schedule]") != std::string::npos);

  std::string json = render_json(sm, {d});
  CHECK(json.size() < 8000);
  auto parsed = nlohmann::json::parse(json);
  std::string message = parsed[0]["message"];
  CHECK(message.starts_with("\"first\nnet.claw:1:1: error: forged"));  // JSON carries it escaped, exactly
  CHECK(message.ends_with("\" is not a cron schedule"));
  CHECK(message.find("bytes left out") != std::string::npos);
  CHECK(std::string(parsed[0]["hints"][0]).size() < kMaxShownText + 40);
  CHECK(json.find('\x1b') == std::string::npos);
}

}  // namespace
}  // namespace claw::diag
