// libcurl, loaded when a command first talks to a cluster rather than when
// claw starts: linked directly, libcurl and the thirty libraries it needs
// (OpenSSL, nghttp2, GSSAPI, LDAP, ...) were loaded and relocated on every
// run of `claw check` and `claw build`, about 6 ms of each start. The
// functions claw calls, looked up once from libcurl.so.4 (the soname of
// Debian's libcurl4 since curl 7.16).
#pragma once

#define CURL_DISABLE_TYPECHECK 1  // the calls go through these pointers, not curl.h's macros
#include <curl/curl.h>

#include <expected>
#include <string>

namespace claw::cluster {

struct CurlApi {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  CURL* (*easy_duphandle)(CURL*);
  void (*easy_cleanup)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  CURLM* (*multi_init)();
  CURLMcode (*multi_cleanup)(CURLM*);
  CURLMcode (*multi_setopt)(CURLM*, CURLMoption, ...);
  CURLMcode (*multi_add_handle)(CURLM*, CURL*);
  CURLMcode (*multi_remove_handle)(CURLM*, CURL*);
  CURLMcode (*multi_perform)(CURLM*, int*);
  CURLMcode (*multi_poll)(CURLM*, struct curl_waitfd*, unsigned int, int, int*);
  CURLMsg* (*multi_info_read)(CURLM*, int*);
  struct curl_slist* (*slist_append)(struct curl_slist*, const char*);
  void (*slist_free_all)(struct curl_slist*);
  void (*free)(void*);
  CURLU* (*url)();
  void (*url_cleanup)(CURLU*);
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int);
  CURLUcode (*url_get)(const CURLU*, CURLUPart, char**, unsigned int);
};

/// libcurl's functions, loaded on first use (thread-safe), or why not
/// ("libcurl is not installed: ...").
std::expected<const CurlApi*, std::string> curl_api();

/// The loaded functions; only after curl_api() succeeded.
const CurlApi& curl();

}  // namespace claw::cluster
