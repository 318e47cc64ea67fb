#include "runtime/sim/proto_wire.h"

#include <fmt/format.h>

namespace claw::sim::proto {

// Varints are at most 10 bytes (64 bits in groups of 7).
std::expected<std::uint64_t, std::string> WireReader::varint() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return std::unexpected(std::string("unexpected EOF in varint"));
    auto byte = static_cast<std::uint8_t>(data_[pos_++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::unexpected(std::string("integer overflow in varint"));
}

std::expected<WireField, std::string> WireReader::next() {
  auto key = varint();
  if (!key) return std::unexpected(key.error());
  WireField field;
  auto number = *key >> 3;
  if (number == 0 || number > 0x1fffffff) return std::unexpected(fmt::format("illegal field number {}", number));
  field.number = static_cast<std::uint32_t>(number);
  auto type = *key & 7;
  auto fixed = [&](std::size_t size) -> std::expected<WireField, std::string> {
    if (data_.size() - pos_ < size) return std::unexpected(std::string("unexpected EOF in fixed-size field"));
    for (std::size_t i = 0; i < size; ++i)
      field.varint |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += size;
    return field;
  };
  switch (type) {
    case 0: {
      field.type = WireType::varint;
      auto value = varint();
      if (!value) return std::unexpected(value.error());
      field.varint = *value;
      return field;
    }
    case 1:
      field.type = WireType::fixed64;
      return fixed(8);
    case 5:
      field.type = WireType::fixed32;
      return fixed(4);
    case 2: {
      field.type = WireType::length_delimited;
      auto length = varint();
      if (!length) return std::unexpected(length.error());
      if (*length > data_.size() - pos_)
        return std::unexpected(fmt::format("field {}: length {} goes past the end of the body", number, *length));
      field.bytes = data_.substr(pos_, static_cast<std::size_t>(*length));
      pos_ += static_cast<std::size_t>(*length);
      return field;
    }
    default:
      return std::unexpected(fmt::format("field {}: unsupported wire type {}", number, type));
  }
}

}  // namespace claw::sim::proto
