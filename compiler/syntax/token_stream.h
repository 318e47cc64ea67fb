// Feeds the hand-written lexer's tokens to the ANTLR parser without copying
// them into heap-allocated CommonTokens one by one. Private to syntax/.
#pragma once

#include <antlr4-runtime.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/token.h"

namespace claw::syntax::detail {

/// One token as ANTLR sees it; its text is a view into the file.
class FastToken final : public antlr4::WritableToken {
 public:
  FastToken() = default;
  FastToken(const syntax::Token& t, std::string_view src, size_t index, antlr4::TokenSource* source)
      : type_(t.kind == Tok::Eof ? antlr4::Token::EOF : static_cast<size_t>(t.kind)),
        line_(t.line), column_(t.column), begin_(t.begin), end_(t.end), index_(index), src_(src), source_(source) {}

  std::string getText() const override {
    if (type_ == antlr4::Token::EOF) return "<EOF>";
    return std::string(src_.substr(begin_, end_ - begin_));
  }
  size_t getType() const override { return type_; }
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() const override { return column_; }
  size_t getChannel() const override { return antlr4::Token::DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return begin_; }
  size_t getStopIndex() const override { return end_ - 1; }
  antlr4::TokenSource* getTokenSource() const override { return source_; }
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override { return getText(); }

  void setText(const std::string&) override {}
  void setType(size_t t) override { type_ = t; }
  void setLine(size_t l) override { line_ = l; }
  void setCharPositionInLine(size_t p) override { column_ = p; }
  void setChannel(size_t) override {}
  void setTokenIndex(size_t i) override { index_ = i; }

  uint32_t begin() const { return begin_; }
  uint32_t end() const { return end_; }

 private:
  size_t type_ = 0;
  size_t line_ = 0;
  size_t column_ = 0;
  uint32_t begin_ = 0;
  uint32_t end_ = 0;
  size_t index_ = 0;
  std::string_view src_;
  antlr4::TokenSource* source_ = nullptr;
};

/// The token source ANTLR's error recovery asks for a token factory.
class FastTokenSource final : public antlr4::TokenSource {
 public:
  explicit FastTokenSource(std::string name) : name_(std::move(name)) {}
  std::unique_ptr<antlr4::Token> nextToken() override { return nullptr; }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return name_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  std::string name_;
};

/// A random-access token stream over the visible (non-hidden) tokens.
class VectorTokenStream final : public antlr4::TokenStream {
 public:
  /// A stream over `tokens` (visible ones only, without Eof) followed by `eof`.
  VectorTokenStream(std::span<const syntax::Token> tokens, const syntax::Token& eof, std::string_view src,
                    std::string name);

  antlr4::Token* LT(ssize_t k) override;
  antlr4::Token* get(size_t i) const override;
  antlr4::TokenSource* getTokenSource() const override { return const_cast<FastTokenSource*>(&source_); }
  std::string getText(const antlr4::misc::Interval& interval) override;
  std::string getText() override { return std::string(src_); }
  std::string getText(antlr4::RuleContext* ctx) override { return getText(ctx->getSourceInterval()); }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override;
  void consume() override;
  size_t LA(ssize_t i) override { return LT(i) ? LT(i)->getType() : antlr4::Token::INVALID_TYPE; }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t i) override { p_ = std::min(i, tokens_.size() - 1); }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return source_name_; }

  const FastToken& at(size_t i) const { return tokens_[i]; }
  std::string_view source() const { return src_; }

 private:
  FastTokenSource source_;
  std::vector<FastToken> tokens_;
  std::string_view src_;
  std::string source_name_;
  size_t p_ = 0;
};

}  // namespace claw::syntax::detail
