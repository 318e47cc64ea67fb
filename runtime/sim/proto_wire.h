#pragma once
// Reading the protobuf (proto2) wire format: varints, fixed 32/64-bit values
// and length-delimited bytes, never past the end of the buffer.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace claw::sim::proto {

// The wire types of https://protobuf.dev/programming-guides/encoding/ (3 and 4, groups, are refused).
enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

// One field as read off the wire: its number and its raw value.
struct WireField {
  std::uint32_t number = 0;
  WireType type = WireType::varint;
  std::uint64_t varint = 0;   // varint, fixed64 and fixed32 values
  std::string_view bytes;     // length-delimited value, inside the buffer
};

// A cursor over one message's bytes.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool done() const { return pos_ >= data_.size(); }
  // The next field, or a message saying why the bytes are not a field.
  std::expected<WireField, std::string> next();
  // The next bare varint (packed repeated numbers).
  std::expected<std::uint64_t, std::string> next_varint() { return varint(); }

 private:
  std::expected<std::uint64_t, std::string> varint();

  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace claw::sim::proto
