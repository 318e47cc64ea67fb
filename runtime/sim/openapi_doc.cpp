#include "runtime/sim/openapi_doc.h"

#include <zlib.h>

#include <stdexcept>
#include <string>

extern "C" {
extern const unsigned char claw_sim_openapi_gz[];
extern const unsigned char claw_sim_openapi_gz_end[];
}

namespace claw::sim {
namespace {

std::string gunzip(const unsigned char* data, std::size_t size) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
  zs.next_in = const_cast<unsigned char*>(data);
  zs.avail_in = static_cast<uInt>(size);
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("the embedded OpenAPI document is not valid gzip");
  return out;
}

}  // namespace

const Json& builtin_openapi() {
  static const Json doc = [] {
    std::size_t size = static_cast<std::size_t>(claw_sim_openapi_gz_end - claw_sim_openapi_gz);
    return Json::parse(gunzip(claw_sim_openapi_gz, size));
  }();
  return doc;
}

const Json& builtin_definitions() {
  static const Json& defs = builtin_openapi().at("definitions");
  return defs;
}

}  // namespace claw::sim
