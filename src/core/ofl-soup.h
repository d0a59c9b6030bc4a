/* ofl-soup.h: the libsoup functions the client calls, opened on first use */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One entry per libsoup function used, without the soup_ prefix. */
#define OFL_SOUP_FUNCTIONS(X)            \
  X (session_get_type)                   \
  X (session_error_quark)                \
  X (session_send_async)                 \
  X (session_send_finish)                \
  X (message_new_from_uri)               \
  X (message_add_flags)                  \
  X (message_get_status)                 \
  X (message_get_request_headers)        \
  X (message_get_response_headers)       \
  X (message_get_tls_peer_certificate)   \
  X (message_headers_append)             \
  X (message_headers_get_one)            \
  X (message_headers_get_content_length) \
  X (date_time_new_from_http_string)

#define OFL_SOUP_FIELD(name) __typeof__ (soup_##name) *name;

typedef struct {
  OFL_SOUP_FUNCTIONS (OFL_SOUP_FIELD)
} OflSoup;

#undef OFL_SOUP_FIELD

/* libsoup, loaded once for the process; NULL and an OflError if it
 * cannot be. Thread-safe. */
const OflSoup *ofl_soup_get (GError **error);

G_END_DECLS
