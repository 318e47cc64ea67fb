#include "compiler/syntax/token_stream.h"

namespace claw::syntax::detail {

VectorTokenStream::VectorTokenStream(std::span<const syntax::Token> tokens, const syntax::Token& eof,
                                     std::string_view src, std::string name)
    : source_(name), src_(src), source_name_(std::move(name)) {
  tokens_.reserve(tokens.size() + 1);
  for (const auto& t : tokens) tokens_.emplace_back(t, src, tokens_.size(), &source_);
  syntax::Token end = eof;
  end.kind = Tok::Eof;
  tokens_.emplace_back(end, src, tokens_.size(), &source_);
}

antlr4::Token* VectorTokenStream::LT(ssize_t k) {
  if (k == 0) return nullptr;
  ssize_t i = static_cast<ssize_t>(p_) + (k > 0 ? k - 1 : k);
  if (i < 0) return nullptr;
  if (static_cast<size_t>(i) >= tokens_.size()) return &tokens_.back();
  return &tokens_[static_cast<size_t>(i)];
}

antlr4::Token* VectorTokenStream::get(size_t i) const {
  return const_cast<FastToken*>(&tokens_[std::min(i, tokens_.size() - 1)]);
}

void VectorTokenStream::consume() {
  if (tokens_[p_].getType() == antlr4::Token::EOF) throw antlr4::IllegalStateException("cannot consume EOF");
  ++p_;
}

std::string VectorTokenStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || interval.b < interval.a || tokens_.empty()) return {};
  size_t a = std::min<size_t>(static_cast<size_t>(interval.a), tokens_.size() - 1);
  size_t b = std::min<size_t>(static_cast<size_t>(interval.b), tokens_.size() - 1);
  uint32_t begin = tokens_[a].begin();
  uint32_t end = tokens_[b].end();
  if (end < begin) return {};
  return std::string(src_.substr(begin, end - begin));
}

std::string VectorTokenStream::getText(antlr4::Token* start, antlr4::Token* stop) {
  if (!start || !stop) return {};
  return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
}

}  // namespace claw::syntax::detail
