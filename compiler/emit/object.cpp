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

void set_ref(ObjectRef& ref, std::string_view api_version, std::string_view kind, std::string_view namespace_,
             std::string_view name) {
  auto slash = api_version.find('/');
  ref.group.assign(slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash));
  ref.version.assign(slash == std::string_view::npos ? api_version : api_version.substr(slash + 1));
  ref.kind.assign(kind);
  ref.namespace_.assign(namespace_);
  ref.name.assign(name);
}

std::pair<std::string, std::string> split_api_version(std::string_view api_version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

namespace {
thread_local std::vector<Object> recycled;
}  // namespace

Object& add_object(std::vector<Object>& out) {
  if (recycled.empty()) return out.emplace_back();
  Object& o = out.emplace_back(std::move(recycled.back()));
  recycled.pop_back();
  for (std::string* s : {&o.ref.group, &o.ref.version, &o.ref.kind, &o.ref.namespace_, &o.ref.name, &o.owner}) s->clear();
  o.origin = Origin::Service;
  o.span = {};
  o.body.clear();
  o.secret.reset();
  return o;
}

void recycle(std::vector<Object>& objects) {
  for (auto& o : objects) recycled.push_back(std::move(o));
  objects.clear();
}

bool written_to_files(Origin origin) { return origin != Origin::Secret && origin != Origin::ValuesSecret; }

}  // namespace claw::emit
