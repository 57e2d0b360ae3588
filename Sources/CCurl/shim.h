// Typed, non-variadic wrappers around libcurl's variadic setopt/getinfo calls
// (Swift cannot call C variadics), plus the Linux headers Glibc does not export.
// No logic lives here.
#ifndef STDB_CCURL_SHIM_H
#define STDB_CCURL_SHIM_H

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static inline CURLcode stdb_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_closesocket_function(CURL *h, curl_closesocket_callback v) { return curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, v); }
static inline CURLcode stdb_easy_setopt_write_function(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode stdb_easy_setopt_prereq_function(CURL *h, curl_prereq_callback v) { return curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, v); }

static inline CURLcode stdb_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stdb_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stdb_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode stdb_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode stdb_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode stdb_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode stdb_multi_setopt_socket_function(CURLM *m, curl_socket_callback v) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, v); }
static inline CURLMcode stdb_multi_setopt_timer_function(CURLM *m, curl_multi_timer_callback v) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, v); }

static inline CURLcode stdb_easy_setopt_ssl_ctx_function(CURL *h, curl_ssl_ctx_callback v) { return curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, v); }
static inline CURLSHcode stdb_share_setopt_long(CURLSH *s, CURLSHoption o, long v) { return curl_share_setopt(s, o, v); }

// OpenSSL (libcurl's TLS backend here), declared rather than included: the handshake callback that
// tells a resumed session from a full one (`--verbose`'s TLS line). SSL and SSL_CTX are opaque here.
typedef void (*stdb_ssl_info_callback)(const void *ssl, int where, int ret);
extern void SSL_CTX_set_info_callback(void *ctx, stdb_ssl_info_callback cb);
extern int SSL_session_reused(const void *ssl);
static const int STDB_SSL_CB_HANDSHAKE_DONE = 0x20;

// CURLMsg keeps the result in a union Swift imports awkwardly.
static inline CURLcode stdb_msg_result(const CURLMsg *m) { return m->data.result; }

#endif
