#include "compiler/syntax/syntax_errors.h"

#include <ClawParser.h>
#include <fmt/format.h>

#include <algorithm>

namespace claw::syntax::detail {
namespace {

using claw_antlr::ClawParser;

bool is_error_token(size_t type) {
  auto k = static_cast<Tok>(type);
  return k == Tok::UnterminatedString || k == Tok::UnterminatedComment || k == Tok::ErrorChar;
}

// The top-level item a parser context belongs to (its start token index), or
// npos when the error is between items.
size_t item_of(antlr4::ParserRuleContext* ctx) {
  antlr4::ParserRuleContext* item = nullptr;
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
    if (c->getRuleIndex() == ClawParser::RuleTopItem) item = c;
  }
  if (!item || !item->getStart()) return std::string::npos;
  return item->getStart()->getTokenIndex();
}

// The innermost construct being parsed, and what to call it, for a note.
std::pair<antlr4::ParserRuleContext*, std::string_view> construct(antlr4::ParserRuleContext* ctx) {
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
    switch (c->getRuleIndex()) {
      case ClawParser::RuleBlock: return {c, "in this block"};
      case ClawParser::RuleArgs: return {c, "in these arguments"};
      case ClawParser::RuleImportDecl: return {c, "in this import"};
      case ClawParser::RuleLetDecl: return {c, "in this `let`"};
      case ClawParser::RuleTypeDecl: return {c, "in this `type`"};
      case ClawParser::RuleEnumDecl: return {c, "in this `enum`"};
      case ClawParser::RuleTemplateDecl: return {c, "in this `template`"};
      case ClawParser::RuleDecl: return {c, "in this declaration"};
      default: break;
    }
  }
  return {nullptr, ""};
}

}  // namespace

source::Span ErrorCollector::span_of(antlr4::Token* t) const {
  if (!t || t->getType() == antlr4::Token::EOF) return source::Span{id_, next_.begin, next_.end};
  if (t->getStartIndex() == INVALID_INDEX) {
    uint32_t end = tokens_.empty() ? 0 : tokens_.back().end;
    return source::Span{id_, end, end};
  }
  return source::Span{id_, static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
}

std::string ErrorCollector::describe_expected(const antlr4::misc::IntervalSet& expected) const {
  std::vector<size_t> types;
  for (ssize_t v : expected.toList()) types.push_back(static_cast<size_t>(v));
  auto has = [&](Tok k) { return std::find(types.begin(), types.end(), static_cast<size_t>(k)) != types.end(); };
  std::vector<std::string> words;
  auto add = [&](std::string w) {
    if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(std::move(w));
  };
  bool value = has(Tok::Int) && has(Tok::String) && has(Tok::LBrack);
  // Between items only keywords can follow; where any name may, it is "a name".
  bool top = !value && !has(Tok::Ident) && has(Tok::Service) && has(Tok::Machine) && has(Tok::Let);
  if (top) add("a declaration (`service`, `machine`, `let`, ...)");
  if (value) add("a value");
  for (size_t t : types) {
    auto k = static_cast<Tok>(t);
    if (t == antlr4::Token::EOF) {
      if (!top) add("the end of the file");
      continue;
    }
    bool keyword_or_name = (k >= Tok::Import && k <= Tok::Resource) || k == Tok::X || k == Tok::Ident;
    if (top && keyword_or_name) continue;
    if (value && (keyword_or_name || k == Tok::Int || k == Tok::Float || k == Tok::Quantity || k == Tok::String ||
                  k == Tok::True || k == Tok::False || k == Tok::Null || k == Tok::LBrack || k == Tok::LBrace ||
                  k == Tok::LParen || k == Tok::Minus))
      continue;
    if (keyword_or_name) {
      add("a name");
      continue;
    }
    if (top && k == Tok::Semi) continue;
    add(std::string(describe(k)));
  }
  if (words.empty()) return "something else";
  if (words.size() == 1) return words[0];
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string ErrorCollector::describe_found(antlr4::Token* t) const {
  Tok k;
  std::string text;
  if (!t || t->getType() == antlr4::Token::EOF) {
    if (next_.kind == Tok::Eof) return "the end of the file";
    k = next_.kind;
    text = std::string(src_.substr(next_.begin, next_.end - next_.begin));
  } else {
    k = static_cast<Tok>(t->getType());
    text = t->getText();
  }
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  if (k == Tok::Ident || (k >= Tok::Import && k <= Tok::X)) return fmt::format("`{}`", text);
  if (k == Tok::String || k == Tok::Int || k == Tok::Float || k == Tok::Quantity) return fmt::format("{} `{}`", describe(k), text);
  return std::string(describe(k));
}

void ErrorCollector::report(antlr4::Parser* parser, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected,
                            bool unwanted, bool missing) {
  size_t item = item_of(parser->getContext());
  if (offending && is_error_token(offending->getType())) {
    // Already reported by the lexical pass, in better words; what follows in
    // this item is its echo.
    error_tokens_.insert(offending->getTokenIndex());
    items_with_errors_.insert(item);
    return;
  }
  if (!items_with_errors_.insert(item).second) return;
  if (offending && offending->getStartIndex() != INVALID_INDEX) error_tokens_.insert(offending->getTokenIndex());

  std::string exp = describe_expected(expected);
  std::string found = describe_found(offending);
  std::string message;
  if (unwanted) message = fmt::format("unexpected {}; expected {}", found, exp);
  else if (missing) message = fmt::format("expected {} before {}", exp, found);
  else message = fmt::format("expected {}, found {}", exp, found);
  auto [where, phrase] = construct(parser->getContext());
  auto d = diag::make(diag::Kind::SyntaxError, span_of(offending), std::move(message));

  // At the end of the file with a block still open, point at the opener.
  if (!offending || offending->getType() == antlr4::Token::EOF) {
    std::vector<const Token*> open;
    for (const auto& t : tokens_) {
      if (t.kind == Tok::LBrace || t.kind == Tok::LBrack || t.kind == Tok::LParen) open.push_back(&t);
      if ((t.kind == Tok::RBrace || t.kind == Tok::RBrack || t.kind == Tok::RParen) && !open.empty()) open.pop_back();
    }
    if (!open.empty()) d.note(source::Span{id_, open.back()->begin, open.back()->end}, "this bracket is never closed");
  } else if (static_cast<Tok>(offending->getType()) == Tok::Ident && expected.contains(static_cast<size_t>(Tok::Assign))) {
    d.hint("members of a block are written `name = value` or `name { ... }`");
  }
  // Point at where the construct began, when that is not where the error is.
  if (where && where->getStart() && d.notes.empty() && where->getStart()->getStartIndex() != INVALID_INDEX &&
      where->getStart()->getStartIndex() < d.span.begin) {
    auto* st = where->getStart();
    d.note(source::Span{id_, static_cast<uint32_t>(st->getStartIndex()), static_cast<uint32_t>(st->getStopIndex() + 1)},
           fmt::format("{} began here", phrase.substr(3)));
  }
  diags_.push_back(std::move(d));
}

void ErrorCollector::flush(diag::Sink& sink) {
  for (auto& d : diags_) sink.report(std::move(d));
  diags_.clear();
}

void ClawErrorStrategy::reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) {
  errors_.report(recognizer, e.getOffendingToken(), recognizer->getExpectedTokens(), false, false);
}

void ClawErrorStrategy::reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) {
  errors_.report(recognizer, e.getOffendingToken(), e.getExpectedTokens(), false, false);
}

void ClawErrorStrategy::reportFailedPredicate(antlr4::Parser* recognizer, const antlr4::FailedPredicateException& e) {
  errors_.report(recognizer, e.getOffendingToken(), recognizer->getExpectedTokens(), false, false);
}

void ClawErrorStrategy::reportUnwantedToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  errors_.report(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer), true, false);
}

void ClawErrorStrategy::reportMissingToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  errors_.report(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer), false, true);
}

}  // namespace claw::syntax::detail
