/* ofl-error.c: the one error domain of Oneflow Link */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "ofl-error.h"

typedef struct {
  char  *request_id;
  char  *detail;
  guint  retry_after;
} OflErrorPrivate;

static void
ofl_error_private_init (OflErrorPrivate *priv)
{
  priv->request_id = NULL;
  priv->detail = NULL;
  priv->retry_after = 0;
}

static void
ofl_error_private_copy (const OflErrorPrivate *src,
                        OflErrorPrivate       *dest)
{
  dest->request_id = g_strdup (src->request_id);
  dest->detail = g_strdup (src->detail);
  dest->retry_after = src->retry_after;
}

static void
ofl_error_private_clear (OflErrorPrivate *priv)
{
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->detail, g_free);
}

G_DEFINE_EXTENDED_ERROR (OflError, ofl_error)

/* Every error, once: what JSON and the exit codes call it, and how
 * each front end presents it: the heading over a failure, where the
 * person fixes it, and what a saved link's row, a notification and
 * --list say when a check ended with it. */
static const struct {
  OflErrorCode  code;
  const char   *nick;
  OflErrorKind  kind;
  int           priority;
  const char   *title;
  OflErrorFix   fix;
  /* Why a saved link needs attention, or why its last check had no
   * verdict (the link keeps its status). */
  const char   *problem;
} error_table[] = {
  /* Priority: a rejected token beats an unknown email, which beats a
   * temporary failure; a security problem is never hidden by another. */
  { OFL_ERROR_MALFORMED_TOKEN, "malformed-token", OFL_ERROR_KIND_INPUT, 95,
    N_("Oneflow Did Not Accept the Token"), OFL_ERROR_FIX_TOKEN,
    NULL },
  { OFL_ERROR_MALFORMED_EMAIL, "malformed-email", OFL_ERROR_KIND_INPUT, 94,
    N_("This Email Cannot Be Used"), OFL_ERROR_FIX_EMAIL,
    NULL },
  { OFL_ERROR_TOKEN_REJECTED, "token-rejected", OFL_ERROR_KIND_REJECTED, 90,
    N_("Oneflow Did Not Accept the Token"), OFL_ERROR_FIX_TOKEN,
    N_("Oneflow no longer accepts the token. It was probably revoked or replaced. Re-link to fix it.") },
  { OFL_ERROR_UNKNOWN_USER, "unknown-user", OFL_ERROR_KIND_REJECTED, 70,
    N_("This Email Cannot Be Used"), OFL_ERROR_FIX_EMAIL,
    N_("The user is no longer in this Oneflow account. Re-link with another user.") },
  { OFL_ERROR_USER_DEACTIVATED, "user-deactivated", OFL_ERROR_KIND_REJECTED, 75,
    N_("This User Is Deactivated"), OFL_ERROR_FIX_EMAIL,
    N_("The user was deactivated in Oneflow. Re-link with an active user.") },
  { OFL_ERROR_RATE_LIMITED, "rate-limited", OFL_ERROR_KIND_TEMPORARY, 40,
    N_("Oneflow Asks to Wait"), OFL_ERROR_FIX_RETRY,
    N_("At the last check, Oneflow asked to wait.") },
  { OFL_ERROR_UNAVAILABLE, "unavailable", OFL_ERROR_KIND_TEMPORARY, 35,
    N_("Oneflow Is Not Available Right Now"), OFL_ERROR_FIX_RETRY,
    N_("At the last check, Oneflow was not available.") },
  { OFL_ERROR_NETWORK, "network", OFL_ERROR_KIND_TEMPORARY, 25,
    N_("Could Not Reach Oneflow"), OFL_ERROR_FIX_RETRY,
    N_("The last check could not reach Oneflow.") },
  { OFL_ERROR_TIMED_OUT, "timed-out", OFL_ERROR_KIND_TEMPORARY, 30,
    N_("Oneflow Did Not Answer in Time"), OFL_ERROR_FIX_RETRY,
    N_("At the last check, Oneflow did not answer in time.") },
  { OFL_ERROR_TLS, "tls", OFL_ERROR_KIND_SECURITY, 99,
    N_("The Connection Is Not Secure"), OFL_ERROR_FIX_RETRY,
    N_("At the last check, the connection was not secure.") },
  { OFL_ERROR_UNEXPECTED_RESPONSE, "unexpected-response", OFL_ERROR_KIND_TEMPORARY, 50,
    N_("Could Not Connect"), OFL_ERROR_FIX_RETRY,
    N_("The last check gave no answer.") },
  { OFL_ERROR_INSECURE_URL, "insecure-url", OFL_ERROR_KIND_SECURITY, 99,
    N_("The Connection Is Not Secure"), OFL_ERROR_FIX_RETRY,
    N_("At the last check, the connection was not secure.") },
  { OFL_ERROR_KEYRING, "keyring", OFL_ERROR_KIND_KEYRING, 60,
    N_("The Keyring Could Not Store the Token"), OFL_ERROR_FIX_RETRY,
    N_("The last check gave no answer.") },
  { OFL_ERROR_NO_SUCH_LINK, "no-such-link", OFL_ERROR_KIND_NOT_FOUND, 5,
    N_("Could Not Connect"), OFL_ERROR_FIX_RETRY,
    N_("The last check gave no answer.") },
  { OFL_ERROR_OTHER_ACCOUNT, "other-account", OFL_ERROR_KIND_REJECTED, 85,
    N_("The Token Belongs to Another Account"), OFL_ERROR_FIX_TOKEN,
    N_("The token now belongs to another Oneflow account. Re-link to fix it.") },
  { OFL_ERROR_PROXY, "proxy", OFL_ERROR_KIND_TEMPORARY, 45,
    N_("Could Not Reach Oneflow"), OFL_ERROR_FIX_RETRY,
    N_("The last check could not reach Oneflow.") },
  /* Nothing was saved, as with the keyring: the same exit code. */
  { OFL_ERROR_DETAILS_NOT_SAVED, "details-not-saved", OFL_ERROR_KIND_KEYRING, 60,
    N_("The Link Could Not Be Saved"), OFL_ERROR_FIX_RETRY,
    N_("The last check gave no answer.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_table) == OFL_ERROR_DETAILS_NOT_SAVED + 1);

static OflErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != OFL_ERROR)
    return NULL;
  return ofl_error_get_private (error);
}

const char *
ofl_error_get_request_id (const GError *error)
{
  OflErrorPrivate *priv = get_private (error);
  return priv ? priv->request_id : NULL;
}

const char *
ofl_error_get_detail (const GError *error)
{
  OflErrorPrivate *priv = get_private (error);
  return priv ? priv->detail : NULL;
}

guint
ofl_error_get_retry_after (const GError *error)
{
  OflErrorPrivate *priv = get_private (error);
  return priv ? priv->retry_after : 0;
}

void
ofl_error_set_response (GError     *error,
                        const char *request_id,
                        const char *detail,
                        guint       retry_after)
{
  OflErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  g_free (priv->request_id);
  priv->request_id = g_strdup (request_id);
  g_free (priv->detail);
  priv->detail = g_strdup (detail);
  priv->retry_after = retry_after;
}

static gboolean
code_is_valid (int code)
{
  return code >= 0 && code < (int) G_N_ELEMENTS (error_table);
}

const char *
ofl_error_code_to_nick (OflErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), "unknown");
  return error_table[code].nick;
}

const char *
ofl_error_get_nick (const GError *error)
{
  if (error == NULL)
    return NULL;
  if (error->domain != OFL_ERROR || !code_is_valid (error->code))
    return "unknown";
  return error_table[error->code].nick;
}

static int
find_code (const GError *error)
{
  if (error == NULL || error->domain != OFL_ERROR || !code_is_valid (error->code))
    return -1;
  return error->code;
}

const char *
ofl_error_get_title (const GError *error)
{
  int code = find_code (error);

  return _(code >= 0 ? error_table[code].title : N_("Could Not Connect"));
}

OflErrorFix
ofl_error_get_fix (const GError *error)
{
  int code = find_code (error);

  return code >= 0 ? error_table[code].fix : OFL_ERROR_FIX_RETRY;
}

const char *
ofl_error_describe_problem (const char *problem_nick)
{
  for (guint i = 0; problem_nick != NULL && i < G_N_ELEMENTS (error_table); i++)
    if (g_str_equal (error_table[i].nick, problem_nick) && error_table[i].problem != NULL)
      return _(error_table[i].problem);

  /* A stored token that is not one, a nick from a newer version, or one
   * from a damaged file. */
  return _("The last check did not pass. Check again, or re-link.");
}

OflErrorKind
ofl_error_get_kind (const GError *error)
{
  g_return_val_if_fail (error != NULL, OFL_ERROR_KIND_TEMPORARY);

  if (error->domain == OFL_ERROR && code_is_valid (error->code))
    return error_table[error->code].kind;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OFL_ERROR_KIND_CANCELLED;
  if (error->domain == G_TLS_ERROR)
    return OFL_ERROR_KIND_SECURITY;
  return OFL_ERROR_KIND_TEMPORARY;
}

int
ofl_error_get_priority (const GError *error)
{
  if (error == NULL)
    return -1;
  if (error->domain == OFL_ERROR && code_is_valid (error->code))
    return error_table[error->code].priority;
  return 0;
}

static GError *
new_error (OflErrorCode code,
           const char  *message)
{
  return g_error_new_literal (OFL_ERROR, code, message);
}

GError *
ofl_error_from_any (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == OFL_ERROR)
    return g_error_copy (error);

  /* Cancelling is GIO's one error, as everywhere in GLib. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (OFL_ERROR_TIMED_OUT,
                      _("Oneflow did not answer in time. Check your network connection and try again."));

  if (error->domain == G_TLS_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return new_error (OFL_ERROR_TLS,
                      _("The secure connection to Oneflow could not be verified, so nothing was sent. "
                        "Your network may be intercepting traffic; ask your IT support for help."));

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_PROXY_FAILED ||
       error->code == G_IO_ERROR_PROXY_AUTH_FAILED ||
       error->code == G_IO_ERROR_PROXY_NEED_AUTH ||
       error->code == G_IO_ERROR_PROXY_NOT_ALLOWED))
    {
      g_autofree char *message =
        g_strdup_printf (_("The network proxy refused the connection to Oneflow (%s). "
                           "Check the proxy settings or ask your IT support."),
                         error->message);
      return new_error (OFL_ERROR_PROXY, message);
    }

  if (error->domain == G_RESOLVER_ERROR ||
      error->domain == G_IO_ERROR)
    return new_error (OFL_ERROR_NETWORK,
                      _("Could not reach Oneflow. Check that you are connected to the internet and try again."));

  /* libsoup's own domain, by name: libsoup is opened only with a client
   * (ofl-soup.c), and no client, no libsoup error. */
  if (error->domain == g_quark_try_string ("soup-session-error-quark"))
    return new_error (OFL_ERROR_UNEXPECTED_RESPONSE,
                      _("Oneflow sent a response this app does not understand. Try again later."));

  return new_error (OFL_ERROR_UNEXPECTED_RESPONSE,
                    _("Something unexpected went wrong while talking to Oneflow. Try again later."));
}

/* Characters a terminal acts on, or that reorder, hide or break the
 * text around them when shown: never printed as they are. */
static gboolean
is_dangerous (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         c == 0x061c ||                     /* ARABIC LETTER MARK */
         c == 0x200e || c == 0x200f ||      /* LRM, RLM */
         c == 0x2028 || c == 0x2029 ||      /* line and paragraph separators */
         (c >= 0x202a && c <= 0x202e) ||    /* embeddings and overrides */
         (c >= 0x2066 && c <= 0x2069);      /* isolates */
}

char *
ofl_escape_controls (const char     *text,
                     OflEscapeStyle  style)
{
  GString *escaped;
  const char *p;

  if (text == NULL)
    return NULL;

  escaped = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: one byte at a time (json-glib never writes any). */
          if (style == OFL_ESCAPE_TEXT)
            g_string_append_printf (escaped, "\\x%02x", (guchar) *p);
          else
            g_string_append_c (escaped, *p);
          p++;
          continue;
        }

      if (!is_dangerous (c) || (style == OFL_ESCAPE_JSON && c < 0x20))
        g_string_append_len (escaped, p, g_utf8_next_char (p) - p);
      else if (style == OFL_ESCAPE_TEXT && c < 0x80)
        g_string_append_printf (escaped, "\\x%02x", c);
      else
        g_string_append_printf (escaped, "\\u%04x", c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (escaped, FALSE);
}

char *
ofl_error_format_diagnostics (const GError *error,
                              const char   *api_url)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  GString *text = g_string_new (NULL);
  /* Everything the server or a file chose, one line each. */
  g_autofree char *url = ofl_escape_controls (api_url, OFL_ESCAPE_TEXT);
  g_autofree char *request_id = ofl_escape_controls (ofl_error_get_request_id (error), OFL_ESCAPE_TEXT);
  g_autofree char *detail = ofl_escape_controls (ofl_error_get_detail (error), OFL_ESCAPE_TEXT);

  g_string_append_printf (text, "Oneflow Link %s\n", PACKAGE_VERSION);
  g_string_append_printf (text, "API URL: %s\n", url ? url : "(unknown)");
  g_string_append_printf (text, "Error: %s\n", ofl_error_get_nick (error));
  g_string_append_printf (text, "Request ID: %s\n", request_id ? request_id : "(none)");
  /* Oneflow's own words, for support: never the message a person reads. */
  if (detail != NULL)
    g_string_append_printf (text, "Oneflow said: %s\n", detail);
  g_string_append_printf (text, "Time: %s\n", time);

  return g_string_free (text, FALSE);
}
