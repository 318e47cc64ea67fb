// Turns ANTLR's recognition errors into diagnostics that say, in words, what
// was expected and what was found. Private to syntax/.
#pragma once

#include <antlr4-runtime.h>

#include <set>
#include <span>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/token_stream.h"

namespace claw::syntax::detail {

/// Collects syntax errors of one file: at most one per top-level item, since
/// what follows the first error in an item is usually its echo.
class ErrorCollector {
 public:
  /// `tokens` are the visible tokens the parser reads; `next` is what follows
  /// them (the real end of the file, or the start of the next item).
  ErrorCollector(source::FileId id, std::span<const Token> tokens, const Token& next, std::string_view src)
      : id_(id), tokens_(tokens), next_(next), src_(src) {}

  /// Reports an error at `offending` (a stream token) while parsing `ctx`.
  void report(antlr4::Parser* parser, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected,
              bool unwanted, bool missing);

  void flush(diag::Sink& sink);
  /// Indexes (in the visible stream) of the tokens errors were reported at.
  const std::set<size_t>& error_token_indices() const { return error_tokens_; }

 private:
  std::string describe_expected(const antlr4::misc::IntervalSet& expected) const;
  std::string describe_found(antlr4::Token* t) const;
  source::Span span_of(antlr4::Token* t) const;

  source::FileId id_;
  std::span<const Token> tokens_;
  Token next_;
  std::string_view src_;
  std::set<size_t> items_with_errors_;
  std::set<size_t> error_tokens_;
  std::vector<diag::Diagnostic> diags_;
};

/// ANTLR's default recovery, reporting through an ErrorCollector.
class ClawErrorStrategy final : public antlr4::DefaultErrorStrategy {
 public:
  explicit ClawErrorStrategy(ErrorCollector& errors) : errors_(errors) {}

 protected:
  void reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* recognizer, const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* recognizer) override;
  void reportMissingToken(antlr4::Parser* recognizer) override;

 private:
  ErrorCollector& errors_;
};

}  // namespace claw::syntax::detail
