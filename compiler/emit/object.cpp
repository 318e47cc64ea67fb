#include "compiler/emit/object.h"

namespace claw::emit {

std::string ObjectRef::display() const {
  std::string out = kind;
  out += ' ';
  if (!namespace_.empty()) {
    out += namespace_;
    out += '/';
  }
  out += name;
  return out;
}

std::pair<std::string, std::string> split_api_version(std::string_view api_version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

bool written_to_files(Origin origin) { return origin != Origin::Secret && origin != Origin::ValuesSecret; }

}  // namespace claw::emit
