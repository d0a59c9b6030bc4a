/* ofl-client.c: an async libsoup 3 client for the Oneflow API
 *
 * One SoupSession per client. Each call is one GTask that sends a GET,
 * reads at most OFL_CLIENT_MAX_RESPONSE_SIZE bytes, and turns the status
 * and body into a typed result or one OflError. It retries once, after a
 * short delay, on 5xx and network errors; waits for Retry-After on 429
 * when that is short; never retries other 4xx; and never follows a
 * redirect to another host or to plain http.
 *
 * The token travels only in the x-oneflow-api-token header. No SoupLogger
 * is attached, and no debug message prints a header.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-soup.h"

#define READ_CHUNK_SIZE (64 * 1024)
#define MAX_REDIRECTS 3
/* A 429 whose Retry-After is at most this many seconds is waited out. */
#define MAX_RETRY_WAIT 5
/* Before the single retry after a 5xx or a network error. */
#define RETRY_DELAY_MS 500
/* Enough connections for the verifier's parallel requests; libsoup's
 * default of 2 per host would queue them. */
#define MAX_CONNECTIONS_PER_HOST 10

/* libsoup, opened by ofl_client_new() (see ofl-soup.c): every other
 * function here runs on a client, so it is loaded by then. */
static const OflSoup *
soup (void)
{
  return ofl_soup_get (NULL);
}

struct _OflClient
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *base_uri;
  char        *base_url;
  guint        timeout;
};

G_DEFINE_FINAL_TYPE (OflClient, ofl_client, G_TYPE_OBJECT)

typedef enum {
  ENDPOINT_PING,
  ENDPOINT_ACCOUNT,
  ENDPOINT_USERS,
  ENDPOINT_WORKSPACES,
} Endpoint;

typedef struct {
  Endpoint      endpoint;
  GUri         *uri;
  OflSecret    *token;
  char         *email;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  guint         retries;
  guint         redirects;
  /* While waiting to retry: the timer, and a source that ends the wait
   * at once when the task is cancelled. */
  GSource      *retry_source;
  GSource      *cancel_source;
} Request;

static void send_request (GTask *task);

static void
clear_retry_sources (Request *request)
{
  if (request->retry_source != NULL)
    g_source_destroy (request->retry_source);
  if (request->cancel_source != NULL)
    g_source_destroy (request->cancel_source);
  g_clear_pointer (&request->retry_source, g_source_unref);
  g_clear_pointer (&request->cancel_source, g_source_unref);
}

static void
request_free (Request *request)
{
  clear_retry_sources (request);
  g_clear_pointer (&request->uri, g_uri_unref);
  g_clear_pointer (&request->token, ofl_secret_free);
  g_clear_pointer (&request->email, g_free);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request);
}

static void
ofl_client_finalize (GObject *object)
{
  OflClient *self = OFL_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (ofl_client_parent_class)->finalize (object);
}

static void
ofl_client_class_init (OflClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ofl_client_finalize;
}

static void
ofl_client_init (OflClient *self)
{
}

OflClient *
ofl_client_new (const char  *base_url,
                guint        timeout_seconds,
                GError     **error)
{
  g_autoptr(OflClient) self = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  /* 0 would be no time-out at all, and a deadline of nothing. */
  g_return_val_if_fail (timeout_seconds > 0, NULL);

  if (!ofl_config_check_api_url (base_url, error))
    return NULL;

  if (ofl_soup_get (error) == NULL)
    return NULL;

  /* Paths are appended, so keep exactly one slash between them. */
  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  self = g_object_new (OFL_TYPE_CLIENT, NULL);
  self->base_url = g_steal_pointer (&trimmed);
  self->base_uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->timeout = timeout_seconds;
  self->session = g_object_new (soup ()->session_get_type (),
                                "user-agent", "OneflowLink/" PACKAGE_VERSION " ",
                                "timeout", timeout_seconds,
                                "idle-timeout", 60,
                                "max-conns-per-host", MAX_CONNECTIONS_PER_HOST,
                                "max-conns", 2 * MAX_CONNECTIONS_PER_HOST,
                                NULL);

  return g_steal_pointer (&self);
}

OflClient *
ofl_client_new_default (GError **error)
{
  g_autofree char *url = ofl_config_get_api_url ();

  return ofl_client_new (url, ofl_config_get_request_timeout (), error);
}

const char *
ofl_client_get_base_url (OflClient *self)
{
  g_return_val_if_fail (OFL_IS_CLIENT (self), NULL);
  return self->base_url;
}

guint
ofl_client_get_timeout (OflClient *self)
{
  g_return_val_if_fail (OFL_IS_CLIENT (self), 0);
  return self->timeout;
}

static const char *
endpoint_path (Endpoint endpoint)
{
  switch (endpoint)
    {
    case ENDPOINT_PING:       return "/ping";
    case ENDPOINT_ACCOUNT:    return "/accounts/me";
    case ENDPOINT_USERS:      return "/users";
    case ENDPOINT_WORKSPACES: return "/workspaces";
    default:                  g_assert_not_reached ();
    }
}

/* Says what went wrong on the way to Oneflow, naming the host where
 * that helps a person or their IT support. */
static void
fail (GTask        *task,
      const GError *error)
{
  Request *request = g_task_get_task_data (task);
  const char *host = g_uri_get_host (request->uri);

  if (error->domain == G_RESOLVER_ERROR)
    g_task_return_new_error (task, OFL_ERROR, OFL_ERROR_NETWORK,
                             /* Translators: %s is a host name, e.g. api.oneflow.com */
                             _("Could not find %s. Check that you are connected to the internet; if you are, ask your IT support whether the address is right."),
                             host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_task_return_new_error (task, OFL_ERROR, OFL_ERROR_NETWORK,
                             /* Translators: %s is a host name, e.g. api.oneflow.com */
                             _("Could not reach Oneflow: %s refused the connection. Check that you are connected to the internet and try again."),
                             host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_task_return_new_error (task, OFL_ERROR, OFL_ERROR_NETWORK, "%s",
                             _("The connection to Oneflow broke off before its answer arrived. Try again; if it keeps happening, the network may be unstable."));
  else
    g_task_return_error (task, ofl_error_from_any (error));
}

static void
fail_with (GTask       *task,
           OflErrorCode code,
           const char  *message,
           OflProblem  *problem,
           const char  *request_id,
           guint        retry_after)
{
  GError *error = g_error_new_literal (OFL_ERROR, code, message);

  ofl_error_set_response (error,
                          problem && problem->request_id ? problem->request_id : request_id,
                          problem ? problem->detail : NULL,
                          retry_after);
  if (problem && problem->request_id)
    g_debug ("Oneflow request %s failed: %s", problem->request_id,
             problem->detail ? problem->detail : "(no detail)");
  g_task_return_error (task, error);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;

  clear_retry_sources (g_task_get_task_data (task));
  if (!g_task_return_error_if_cancelled (task))
    send_request (task);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  return retry_cb (user_data);
}

/* Waits, then sends again; the sources hold the task, and cancelling
 * ends the wait at once. */
static void
schedule_retry (GTask *task,
                guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  request->retries++;
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);

  request->retry_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (request->retry_source, retry_cb, g_object_ref (task), g_object_unref);
  g_source_set_name (request->retry_source, "[oneflow-link] retry");
  g_source_attach (request->retry_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (retry_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->cancel_source, g_task_get_context (task));
    }
}

static gboolean
is_retryable_network_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == G_TLS_ERROR)
    return FALSE;
  /* A time-out already waited the whole budget: do not double it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return FALSE;
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
         error->domain == soup ()->session_error_quark ();
}

static gboolean
is_loopback_http (GUri *uri)
{
  g_autofree char *url = g_uri_to_string (uri);

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         ofl_config_check_api_url (url, NULL);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* Follows a redirect only within the same https origin (or the same
 * loopback origin, for tests). What is not a redirect to follow (a 304,
 * which answers a conditional request this client never makes; a 3xx
 * without an address; a loop within the origin) is an unexpected response,
 * not a security failure: the token went nowhere new. */
static gboolean
follow_redirect (GTask *task,
                 guint  status)
{
  Request *request = g_task_get_task_data (task);
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autofree char *target_text = NULL;
  SoupMessageHeaders *headers = soup ()->message_get_response_headers (request->message);

  location = soup ()->message_headers_get_one (headers, "Location");
  if (location != NULL && status != SOUP_STATUS_NOT_MODIFIED)
    target = g_uri_parse_relative (request->uri, location, G_URI_FLAGS_NONE, NULL);

  if (status == SOUP_STATUS_NOT_MODIFIED || location == NULL)
    {
      g_autofree char *message =
        /* Translators: %u is an HTTP status code such as 304 */
        g_strdup_printf (_("Oneflow answered with HTTP %u, which is not an answer to this request, and gave no address to go on to. Try again later; if it keeps happening, check the API address with your IT support."),
                         status);
      fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE, message, NULL,
                 soup ()->message_headers_get_one (headers, "x-request-id"), 0);
      return FALSE;
    }

  if (target != NULL && same_origin (target, request->uri) &&
      (g_ascii_strcasecmp (g_uri_get_scheme (target), "https") == 0 || is_loopback_http (target)))
    {
      if (request->redirects >= MAX_REDIRECTS)
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Oneflow kept sending the app on to other pages of its own, more than %u time, so it stopped. Try again later; if it keeps happening, check the API address with your IT support.",
                                          "Oneflow kept sending the app on to other pages of its own, more than %u times, so it stopped. Try again later; if it keeps happening, check the API address with your IT support.",
                                          MAX_REDIRECTS),
                             MAX_REDIRECTS);
          fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE, message, NULL,
                     soup ()->message_headers_get_one (headers, "x-request-id"), 0);
          return FALSE;
        }

      request->redirects++;
      g_clear_pointer (&request->uri, g_uri_unref);
      request->uri = g_steal_pointer (&target);
      g_clear_object (&request->message);
      g_clear_object (&request->stream);
      g_clear_pointer (&request->body, g_byte_array_unref);
      send_request (task);
      return TRUE;
    }

  target_text = target ? g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY)
                       : g_strdup (location);
  {
    g_autofree char *message =
      /* Translators: %s is a web address */
      g_strdup_printf (_("Oneflow’s answer pointed to another address (%s). The app did not follow it, so your token was not sent there. Check the API address with your IT support."),
                       target_text);
    fail_with (task, OFL_ERROR_INSECURE_URL, message, NULL, NULL, 0);
  }
  return FALSE;
}

/* A 407 always comes from a proxy. An https error that arrived without a
 * TLS handshake came from the proxy that refused the CONNECT tunnel, not
 * from Oneflow. */
static gboolean
answered_by_proxy (Request *request,
                   guint    status)
{
  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    return TRUE;
  return status >= 400 &&
         g_ascii_strcasecmp (g_uri_get_scheme (request->uri), "https") == 0 &&
         soup ()->message_get_tls_peer_certificate (request->message) == NULL;
}

/* Names the proxy from the environment as host:port, never with its
 * credentials; NULL when the proxy comes from the desktop's settings. */
static char *
describe_proxy (GUri *uri)
{
  gboolean https = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
  const char *names[] = { https ? "https_proxy" : "http_proxy", https ? "HTTPS_PROXY" : "HTTP_PROXY",
                          "all_proxy", "ALL_PROXY" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);
      g_autoptr(GUri) proxy = NULL;

      if (value == NULL || *value == '\0')
        continue;
      proxy = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
      if (proxy != NULL && g_uri_get_host (proxy) != NULL)
        return g_uri_get_port (proxy) > 0
          ? g_strdup_printf ("%s:%d", g_uri_get_host (proxy), g_uri_get_port (proxy))
          : g_strdup (g_uri_get_host (proxy));
    }

  return NULL;
}

static gpointer
parse_body (Endpoint     endpoint,
            GByteArray  *body,
            GError     **error)
{
  const char *data = (const char *) body->data;
  gsize length = body->len;

  switch (endpoint)
    {
    case ENDPOINT_PING:
      /* Documented as {}; any 200 means the token works. */
      return GINT_TO_POINTER (TRUE);
    case ENDPOINT_ACCOUNT:
      return ofl_parse_account (data, length, error);
    case ENDPOINT_USERS:
      return ofl_parse_user_page (data, length, error);
    case ENDPOINT_WORKSPACES:
      return ofl_parse_workspace_page (data, length, error);
    default:
      g_assert_not_reached ();
    }
}

static GDestroyNotify
result_free_func (Endpoint endpoint)
{
  switch (endpoint)
    {
    case ENDPOINT_PING:       return NULL;
    case ENDPOINT_ACCOUNT:    return (GDestroyNotify) ofl_account_free;
    default:                  return (GDestroyNotify) ofl_page_free;
    }
}

static void
handle_response (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup ()->message_get_response_headers (request->message);
  guint status = soup ()->message_get_status (request->message);
  const char *request_id = soup ()->message_headers_get_one (headers, "x-request-id");
  g_autoptr(OflProblem) problem = NULL;
  g_autoptr(GError) error = NULL;

  if (status >= 200 && status < 300)
    {
      gpointer result = parse_body (request->endpoint, request->body, &error);

      if (result == NULL)
        fail_with (task, error->code, error->message, NULL, request_id, 0);
      else if ((request->endpoint == ENDPOINT_USERS || request->endpoint == ENDPOINT_WORKSPACES) &&
               ((OflPage *) result)->items->len > OFL_CLIENT_PAGE_LIMIT)
        {
          /* More than was asked for is not a page of this API: it is not
           * kept, however much of it there is. */
          g_autofree char *message =
            /* Translators: the first %u is a number of items, the second the most asked for (100) */
            g_strdup_printf (_("Oneflow sent a list page of %u items where at most %u were asked for, so it was not used. Try again later; if it keeps happening, contact your IT support."),
                             ((OflPage *) result)->items->len, OFL_CLIENT_PAGE_LIMIT);
          ofl_page_free (result);
          fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE, message, NULL, request_id, 0);
        }
      else
        g_task_return_pointer (task, result, result_free_func (request->endpoint));
      return;
    }

  if (status >= 300 && status < 400)
    {
      follow_redirect (task, status);
      return;
    }

  problem = ofl_parse_problem ((const char *) request->body->data, request->body->len);
  g_debug ("GET %s answered %u", endpoint_path (request->endpoint), status);

  if (answered_by_proxy (request, status))
    {
      g_autofree char *proxy = describe_proxy (request->uri);
      const char *host = g_uri_get_host (request->uri);
      g_autofree char *message = NULL;

      if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
        message = proxy
          /* Translators: the first %s names the proxy (host:port), the second is a host name */
          ? g_strdup_printf (_("The network proxy %s asks for a sign-in that this app cannot give. Ask your IT support to let %s through the proxy."), proxy, host)
          /* Translators: %s is a host name */
          : g_strdup_printf (_("Your network proxy asks for a sign-in that this app cannot give. Ask your IT support to let %s through the proxy."), host);
      else
        message = proxy
          /* Translators: the first %s names the proxy (host:port), %u is an HTTP status, the last %s a host name */
          ? g_strdup_printf (_("The network proxy %s refused the connection to Oneflow (HTTP %u). Ask your IT support to let %s through the proxy."), proxy, status, host)
          /* Translators: %u is an HTTP status, %s a host name */
          : g_strdup_printf (_("Your network proxy refused the connection to Oneflow (HTTP %u). Ask your IT support to let %s through the proxy."), status, host);
      fail_with (task, OFL_ERROR_PROXY, message, NULL, request_id, 0);
      return;
    }

  if (status == 401)
    {
      fail_with (task, OFL_ERROR_TOKEN_REJECTED,
                 _("Oneflow did not accept this API token. It may be mistyped, or it was revoked or replaced. Generate a new token in Oneflow and paste it again."),
                 problem, request_id, 0);
      return;
    }

  /* The token is known but may not do this: the integration is off or
   * the token lacks rights. */
  if (status == 403 && request->endpoint != ENDPOINT_WORKSPACES)
    {
      fail_with (task, OFL_ERROR_TOKEN_REJECTED,
                 _("Oneflow refused this API token access. Check that the Custom Integration is still enabled in Oneflow, or generate a new token and paste it again."),
                 problem, request_id, 0);
      return;
    }

  if (status == 429)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      const char *value = soup ()->message_headers_get_one (headers, "Retry-After");
      guint wait = 0;
      gboolean has_wait = ofl_parse_retry_after (value, now, &wait);

      if (has_wait && wait <= MAX_RETRY_WAIT && request->retries == 0)
        {
          g_debug ("Rate limited; retrying in %u s as Retry-After asks", wait);
          schedule_retry (task, wait * 1000);
          return;
        }

      {
        g_autofree char *message = NULL;

        if (has_wait && wait > 0)
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Oneflow is limiting how many requests this token may send. Try again in %u second.",
                                                  "Oneflow is limiting how many requests this token may send. Try again in %u seconds.",
                                                  wait),
                                     wait);
        else
          message = g_strdup (_("Oneflow is limiting how many requests this token may send. Try again in a few minutes."));

        fail_with (task, OFL_ERROR_RATE_LIMITED, message, problem, request_id,
                   has_wait ? wait : 0);
      }
      return;
    }

  if (status >= 500)
    {
      if (request->retries == 0)
        {
          g_debug ("Oneflow answered %u; retrying once", status);
          schedule_retry (task, RETRY_DELAY_MS);
          return;
        }
      fail_with (task, OFL_ERROR_UNAVAILABLE,
                 _("Oneflow is not available right now. Nothing was changed; try again in a few minutes."),
                 problem, request_id, 0);
      return;
    }

  /* Any other 4xx on the request made as the user means this user cannot
   * be used; a 404 means the address is wrong, as on any endpoint. */
  if (request->endpoint == ENDPOINT_WORKSPACES && status >= 400 && status != 404)
    {
      /* Oneflow's own words ("not an active user of this account", said of
       * an active user of another account) go to Copy Details only. */
      g_autofree char *message =
        /* Translators: %s is an email address */
        g_strdup_printf (_("Oneflow would not act as %s. Use the email of an active user in the same Oneflow account as the token."),
                         request->email);

      fail_with (task, OFL_ERROR_UNKNOWN_USER, message, problem, request_id, 0);
      return;
    }

  {
    g_autofree char *message =
      /* Translators: %u is an HTTP status code such as 404 */
      g_strdup_printf (_("Oneflow answered with an unexpected error (HTTP %u). Check that the API address is right, or try again later."),
                       status);
    fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE, message, problem, request_id, 0);
  }
}

static void read_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Takes the reference in @task. */
static void
read_next_chunk (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   cancellable, read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (request->retries == 0 && is_retryable_network_error (error))
        schedule_retry (task, RETRY_DELAY_MS);
      else
        fail (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      handle_response (task);
      return;
    }

  if (request->body->len + g_bytes_get_size (chunk) > OFL_CLIENT_MAX_RESPONSE_SIZE)
    {
      fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE,
                 _("Oneflow sent a response far larger than expected, so it was not read. Try again later; if it keeps happening, contact your IT support."),
                 NULL, NULL, 0);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next_chunk (g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  request->stream = soup ()->session_send_finish ((SoupSession *) object, result, &error);
  if (request->stream == NULL)
    {
      if (request->retries == 0 && is_retryable_network_error (error))
        {
          g_debug ("GET %s failed (%s); retrying once", endpoint_path (request->endpoint), error->message);
          schedule_retry (task, RETRY_DELAY_MS);
        }
      else
        fail (task, error);
      return;
    }

  length = soup ()->message_headers_get_content_length (soup ()->message_get_response_headers (request->message));
  if (length > OFL_CLIENT_MAX_RESPONSE_SIZE)
    {
      fail_with (task, OFL_ERROR_UNEXPECTED_RESPONSE,
                 _("Oneflow sent a response far larger than expected, so it was not read. Try again later; if it keeps happening, contact your IT support."),
                 NULL, NULL, 0);
      return;
    }

  request->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

static void
send_request (GTask *task)
{
  OflClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  request->message = soup ()->message_new_from_uri ("GET", request->uri);
  /* Redirects are checked by follow_redirect(), never followed blindly. */
  soup ()->message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup ()->message_get_request_headers (request->message);
  soup ()->message_headers_append (headers, "Accept", "application/json");
  soup ()->message_headers_append (headers, "x-oneflow-api-token", request->token);
  if (request->email != NULL)
    soup ()->message_headers_append (headers, "x-oneflow-user-email", request->email);

  soup ()->session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

static void
start (OflClient           *self,
       Endpoint             endpoint,
       const char          *token,
       const char          *email,
       guint                offset,
       GCancellable        *cancellable,
       gpointer             source_tag,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Every failure, cancelling included, comes back as an OflError. */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  request->endpoint = endpoint;
  request->token = ofl_secret_dup (token);
  request->email = g_strdup (email);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (endpoint == ENDPOINT_USERS || endpoint == ENDPOINT_WORKSPACES)
    url = g_strdup_printf ("%s%s?limit=%u&offset=%u", self->base_url, endpoint_path (endpoint),
                           OFL_CLIENT_PAGE_LIMIT, offset);
  else
    url = g_strconcat (self->base_url, endpoint_path (endpoint), NULL);

  request->uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (request->uri == NULL)
    {
      g_task_return_new_error (task, OFL_ERROR, OFL_ERROR_INSECURE_URL, "%s",
                               _("The Oneflow API address is not a valid web address. Ask your IT support to correct the app’s settings."));
      return;
    }

  send_request (task);
}

static gpointer
finish (OflClient     *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (OFL_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ofl_client_ping_async (OflClient           *self,
                       const char          *token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (OFL_IS_CLIENT (self));
  g_return_if_fail (token != NULL);

  start (self, ENDPOINT_PING, token, NULL, 0, cancellable,
         ofl_client_ping_async, callback, user_data);
}

gboolean
ofl_client_ping_finish (OflClient     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish (self, result, ofl_client_ping_async, error) != NULL;
}

void
ofl_client_get_account_async (OflClient           *self,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OFL_IS_CLIENT (self));
  g_return_if_fail (token != NULL);

  start (self, ENDPOINT_ACCOUNT, token, NULL, 0, cancellable,
         ofl_client_get_account_async, callback, user_data);
}

OflAccount *
ofl_client_get_account_finish (OflClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish (self, result, ofl_client_get_account_async, error);
}

void
ofl_client_get_users_async (OflClient           *self,
                            const char          *token,
                            guint                offset,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (OFL_IS_CLIENT (self));
  g_return_if_fail (token != NULL);

  start (self, ENDPOINT_USERS, token, NULL, offset, cancellable,
         ofl_client_get_users_async, callback, user_data);
}

OflPage *
ofl_client_get_users_finish (OflClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish (self, result, ofl_client_get_users_async, error);
}

void
ofl_client_get_workspaces_async (OflClient           *self,
                                 const char          *token,
                                 const char          *email,
                                 guint                offset,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (OFL_IS_CLIENT (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (email != NULL);

  start (self, ENDPOINT_WORKSPACES, token, email, offset, cancellable,
         ofl_client_get_workspaces_async, callback, user_data);
}

OflPage *
ofl_client_get_workspaces_finish (OflClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish (self, result, ofl_client_get_workspaces_async, error);
}
