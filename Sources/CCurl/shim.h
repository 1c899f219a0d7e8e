// libcurl (Debian libcurl4-openssl-dev), for downloading Keras weight files.
#include <curl/curl.h>

// NB: Swift does not import C variadic functions, so curl_easy_setopt and curl_easy_getinfo
// are reached through these typed wrappers, one per argument type libcurl accepts.
static inline CURLcode glimpse_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode glimpse_curl_setopt_string(CURL *handle, CURLoption option,
                                                  const char *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode glimpse_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode glimpse_curl_setopt_write_function(CURL *handle,
                                                          curl_write_callback function) {
  return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function);
}
static inline CURLcode glimpse_curl_setopt_xferinfo_function(CURL *handle,
                                                             curl_xferinfo_callback function) {
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, function);
}
static inline CURLcode glimpse_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode glimpse_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode glimpse_curl_global_init_default(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT);
}
