#include "runtime/cluster/curl_api.h"

#include <dlfcn.h>

#include <mutex>

namespace claw::cluster {

namespace {

CurlApi loaded{};
std::string load_error;

template <class Fn>
bool find(void* lib, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (!fn) load_error = std::string("libcurl lacks ") + name;
  return fn != nullptr;
}

void load() {
  void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = dlerror();
    load_error = std::string("libcurl is not installed (Debian: libcurl4): ") + (why ? why : "libcurl.so.4 not found");
    return;
  }
  CurlApi a{};
  bool ok = find(lib, "curl_global_init", a.global_init) && find(lib, "curl_easy_init", a.easy_init) &&
            find(lib, "curl_easy_duphandle", a.easy_duphandle) && find(lib, "curl_easy_cleanup", a.easy_cleanup) &&
            find(lib, "curl_easy_setopt", a.easy_setopt) && find(lib, "curl_easy_getinfo", a.easy_getinfo) &&
            find(lib, "curl_easy_strerror", a.easy_strerror) && find(lib, "curl_multi_init", a.multi_init) &&
            find(lib, "curl_multi_cleanup", a.multi_cleanup) && find(lib, "curl_multi_setopt", a.multi_setopt) &&
            find(lib, "curl_multi_add_handle", a.multi_add_handle) &&
            find(lib, "curl_multi_remove_handle", a.multi_remove_handle) &&
            find(lib, "curl_multi_perform", a.multi_perform) && find(lib, "curl_multi_poll", a.multi_poll) &&
            find(lib, "curl_multi_info_read", a.multi_info_read) && find(lib, "curl_slist_append", a.slist_append) &&
            find(lib, "curl_slist_free_all", a.slist_free_all) && find(lib, "curl_free", a.free) &&
            find(lib, "curl_url", a.url) && find(lib, "curl_url_cleanup", a.url_cleanup) &&
            find(lib, "curl_url_set", a.url_set) && find(lib, "curl_url_get", a.url_get);
  if (ok) loaded = a;
}

}  // namespace

std::expected<const CurlApi*, std::string> curl_api() {
  static std::once_flag once;
  std::call_once(once, load);
  if (!load_error.empty()) return std::unexpected(load_error);
  return &loaded;
}

const CurlApi& curl() { return loaded; }

}  // namespace claw::cluster
