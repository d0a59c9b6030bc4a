/* ofl-error.h: the one error domain of Oneflow Link
 *
 * Every code is a cause a person can act on. The message of an error is a
 * complete, translated sentence that says what went wrong and what to do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OFL_ERROR (ofl_error_quark ())

typedef enum {
  OFL_ERROR_MALFORMED_TOKEN,
  OFL_ERROR_MALFORMED_EMAIL,
  OFL_ERROR_TOKEN_REJECTED,
  OFL_ERROR_UNKNOWN_USER,
  OFL_ERROR_USER_DEACTIVATED,
  OFL_ERROR_RATE_LIMITED,
  OFL_ERROR_UNAVAILABLE,
  OFL_ERROR_NETWORK,
  OFL_ERROR_TIMED_OUT,
  OFL_ERROR_TLS,
  OFL_ERROR_UNEXPECTED_RESPONSE,
  /* The configured API URL is not https:// (or http:// to loopback). */
  OFL_ERROR_INSECURE_URL,
  /* The system keyring could not be reached or refused to store. */
  OFL_ERROR_KEYRING,
  /* No stored link matches what was asked for. */
  OFL_ERROR_NO_SUCH_LINK,
  /* A re-link token belongs to another Oneflow account. */
  OFL_ERROR_OTHER_ACCOUNT,
  /* The HTTP proxy refused the connection or wants credentials. */
  OFL_ERROR_PROXY,
  /* The link details file could not be written (a full disk); the
   * keyring was left as it was. */
  OFL_ERROR_DETAILS_NOT_SAVED,
} OflErrorCode;

/* How a caller should treat an error: what the CLI exit codes and the
 * link status are derived from. */
typedef enum {
  OFL_ERROR_KIND_INPUT,      /* malformed input, nothing was sent */
  OFL_ERROR_KIND_REJECTED,   /* Oneflow said no: the link needs attention */
  OFL_ERROR_KIND_TEMPORARY,  /* no verdict now: try again later */
  OFL_ERROR_KIND_SECURITY,   /* TLS or insecure URL */
  OFL_ERROR_KIND_KEYRING,
  OFL_ERROR_KIND_NOT_FOUND,
  OFL_ERROR_KIND_CANCELLED,
} OflErrorKind;

/* Where a person fixes an error: what the assistant goes back to. */
typedef enum {
  OFL_ERROR_FIX_RETRY,       /* nothing to change: try again later */
  OFL_ERROR_FIX_TOKEN,       /* another token */
  OFL_ERROR_FIX_EMAIL,       /* another user */
} OflErrorFix;

GQuark        ofl_error_quark           (void);

/* Extended error data (G_DEFINE_EXTENDED_ERROR): what Oneflow said. */
const char   *ofl_error_get_request_id  (const GError *error);
const char   *ofl_error_get_detail      (const GError *error);
/* Seconds to wait before trying again (429), or 0 if unknown. */
guint         ofl_error_get_retry_after (const GError *error);
void          ofl_error_set_response    (GError       *error,
                                         const char   *request_id,
                                         const char   *detail,
                                         guint         retry_after);

OflErrorKind  ofl_error_get_kind        (const GError *error);
/* A stable short name ("token-rejected"), used in JSON and diagnostics. */
const char   *ofl_error_code_to_nick    (OflErrorCode  code);
const char   *ofl_error_get_nick        (const GError *error);
/* How an error is presented, the same in every front end (one table,
 * in ofl-error.c): the heading over a failure ("Oneflow Did Not Accept
 * the Token"), and where it is fixed. */
const char   *ofl_error_get_title       (const GError *error);
OflErrorFix   ofl_error_get_fix         (const GError *error);
/* A saved link's problem (a nick, as ofl_link_get_problem() gives it) in
 * a sentence: why the link needs attention, or why its last check gave
 * no verdict. Never NULL. */
const char   *ofl_error_describe_problem (const char  *problem_nick);
/* When several checks fail at once, the most useful cause wins. */
int           ofl_error_get_priority    (const GError *error);
/* Turns any error (GIO, TLS, libsoup, OflError) into an OflError. */
GError       *ofl_error_from_any        (const GError *error);

/* Text from Oneflow (or from a file it filled) made safe to print on one
 * line: C0 controls, DEL, C1 controls, invalid UTF-8, and the invisible
 * Unicode controls that reorder or break a line (bidi embeddings,
 * overrides, isolates and marks, U+2028, U+2029) become escapes.
 * OFL_ESCAPE_TEXT writes \xNN for an ASCII control or a stray byte and
 * \uNNNN for the others. OFL_ESCAPE_JSON takes JSON made by json-glib,
 * whose strings already escape C0, and writes \uNNNN, so the values read
 * back the same. */
typedef enum {
  OFL_ESCAPE_TEXT,
  OFL_ESCAPE_JSON,
} OflEscapeStyle;

char         *ofl_escape_controls       (const char     *text,
                                         OflEscapeStyle  style);

/* Short text for IT support: version, API URL, code, request id, time.
 * Never includes a secret; server text is escaped (ofl_escape_controls). */
char         *ofl_error_format_diagnostics (const GError *error,
                                            const char   *api_url);

G_END_DECLS
