/* test-verifier.c: the verifier against the fake Oneflow server on loopback
 *
 * Every outcome in the error domain is produced by a real HTTP exchange,
 * and the requests the server saw are checked, not just the result.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-error.h"
#include "ofl-fake-server.h"
#include "ofl-verifier.h"

typedef struct {
  OflFakeServer *server;
  OflClient     *client;
  GPtrArray     *steps;   /* "token", "account:<error nick>" ... in order */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = ofl_fake_server_new (FALSE, &error);
  g_assert_no_error (error);
  fixture->client = ofl_client_new (ofl_fake_server_get_url (fixture->server), 5, &error);
  g_assert_no_error (error);
  fixture->steps = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->steps);
  if (fixture->client != NULL)
    g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->server);
}

static const char *step_names[] = { "token", "account", "user", "workspaces" };

static void
step_finished_cb (OflVerifier  *verifier,
                  int           step,
                  const GError *error,
                  gpointer      detail,
                  Fixture      *fixture)
{
  g_assert_cmpint (step, >=, 0);
  g_assert_cmpint (step, <, OFL_VERIFY_N_STEPS);
  g_assert_true (error != NULL || step == OFL_VERIFY_STEP_TOKEN || detail != NULL);

  g_ptr_array_add (fixture->steps,
                   error ? g_strdup_printf ("%s:%s", step_names[step], ofl_error_get_nick (error))
                         : g_strdup (step_names[step]));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static OflVerification *
verify (Fixture       *fixture,
        const char    *token,
        const char    *email,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(OflVerifier) verifier = ofl_verifier_new (fixture->client);
  g_autoptr(GAsyncResult) result = NULL;

  g_signal_connect (verifier, "step-finished", G_CALLBACK (step_finished_cb), fixture);
  ofl_verifier_verify_async (verifier, token, email, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return ofl_verifier_verify_finish (verifier, result, error);
}

static gboolean
has_step (Fixture    *fixture,
          const char *name)
{
  for (guint i = 0; i < fixture->steps->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->steps, i), name))
      return TRUE;
  return FALSE;
}

static void
assert_fails (Fixture      *fixture,
              const char   *token,
              const char   *email,
              OflErrorCode  code,
              const char   *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = verify (fixture, token, email, NULL, &error);

  g_assert_null (verification);
  g_assert_error (error, OFL_ERROR, (int) code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

/* The runs that differ only in how the server misbehaves and in what
 * must come of it: one row each. */

#define NOT_COUNTED -1

typedef struct {
  OflFakeEndpoint endpoint;
  OflFakeFault    fault;
  guint           times;   /* 0: every request */
} Fault;

typedef struct {
  const char      *path;
  Fault            faults[2];        /* endpoint ANY with fault NONE: unused */
  const char      *revoke;           /* a token revoked first, or NULL */
  const char      *retry_after;      /* the server's Retry-After, or NULL */
  guint            client_timeout;   /* seconds; 0: the fixture's 5 */
  const char      *token;            /* NULL: Acme's */
  const char      *email;            /* NULL: anna's */
  gboolean         succeeds;
  OflErrorCode     code;             /* when it does not */
  const char      *says;             /* in the message */
  const char      *step;             /* a step reported so, or NULL */
  guint            retry_after_s;    /* the error's Retry-After; 0: none asked */
  OflFakeEndpoint  counted;          /* requests to this endpoint... */
  int              n_requests;       /* ...are this many, or NOT_COUNTED */
} VerifyCase;

#define FAULT(e, f) { OFL_FAKE_ENDPOINT_##e, OFL_FAKE_FAULT_##f, 0 }
#define FAULT_TIMES(e, f, n) { OFL_FAKE_ENDPOINT_##e, OFL_FAKE_FAULT_##f, n }

static const VerifyCase verify_cases[] = {
  { "/verifier/malformed-token-sends-nothing",
    .token = "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b",
    .code = OFL_ERROR_MALFORMED_TOKEN, .says = "39 characters",
    .counted = OFL_FAKE_ENDPOINT_ANY, .n_requests = 0 },
  { "/verifier/malformed-email-sends-nothing", .email = "anna@",
    .code = OFL_ERROR_MALFORMED_EMAIL, .says = "domain",
    .counted = OFL_FAKE_ENDPOINT_ANY, .n_requests = 0 },
  { "/verifier/token-rejected", .revoke = OFL_FAKE_TOKEN_ACME,
    .code = OFL_ERROR_TOKEN_REJECTED, .says = "did not accept this API token",
    .step = "token:token-rejected", .n_requests = NOT_COUNTED },
  { "/verifier/unknown-user", .email = "nobody@example.com",
    .code = OFL_ERROR_UNKNOWN_USER, .says = "nobody@example.com", .n_requests = NOT_COUNTED },
  /* dora is a user of Beta Oy, not of Acme AB. */
  { "/verifier/unknown-user-of-another-account", .email = OFL_FAKE_EMAIL_DORA,
    .code = OFL_ERROR_UNKNOWN_USER, .says = OFL_FAKE_EMAIL_DORA, .n_requests = NOT_COUNTED },
  { "/verifier/user-deactivated", .email = OFL_FAKE_EMAIL_BERT,
    .code = OFL_ERROR_USER_DEACTIVATED, .says = "deactivated", .n_requests = NOT_COUNTED },
  /* No Retry-After: no retry. */
  { "/verifier/rate-limited", { FAULT (USERS, 429) },
    .code = OFL_ERROR_RATE_LIMITED, .says = "few minutes",
    .counted = OFL_FAKE_ENDPOINT_USERS, .n_requests = 1 },
  { "/verifier/rate-limited-retry-after-short", { FAULT_TIMES (USERS, 429_RETRY_AFTER, 1) },
    .retry_after = "1", .succeeds = TRUE,
    .counted = OFL_FAKE_ENDPOINT_USERS, .n_requests = 2 },
  /* Too long to wait for: reported at once, not retried. */
  { "/verifier/rate-limited-retry-after-long", { FAULT (ANY, 429_RETRY_AFTER) },
    .retry_after = "120", .code = OFL_ERROR_RATE_LIMITED, .says = "120 seconds", .retry_after_s = 120,
    .counted = OFL_FAKE_ENDPOINT_ANY, .n_requests = 4 },
  /* One bounded retry. */
  { "/verifier/unavailable", { FAULT (ACCOUNT, 503) },
    .code = OFL_ERROR_UNAVAILABLE, .says = "not available",
    .counted = OFL_FAKE_ENDPOINT_ACCOUNT, .n_requests = 2 },
  { "/verifier/server-error-retried-once", { FAULT_TIMES (PING, 500, 1) }, .succeeds = TRUE,
    .counted = OFL_FAKE_ENDPOINT_PING, .n_requests = 2 },
  { "/verifier/no-retry-on-4xx", { FAULT (ACCOUNT, 404) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "HTTP 404",
    .counted = OFL_FAKE_ENDPOINT_ACCOUNT, .n_requests = 1 },
  { "/verifier/timed-out", { FAULT (WORKSPACES, HANG) }, .client_timeout = 1,
    .code = OFL_ERROR_TIMED_OUT, .says = "did not answer in time", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/html", { FAULT (USERS, HTML) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "does not understand", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/invalid-json", { FAULT (USERS, INVALID_JSON) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "does not understand", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/truncated-json", { FAULT (USERS, TRUNCATED_JSON) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "does not understand", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/huge-json", { FAULT (USERS, HUGE_JSON) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "far larger", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/array", { FAULT (USERS, ARRAY) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "does not understand", .n_requests = NOT_COUNTED },
  { "/verifier/unexpected/wrong-types", { FAULT (USERS, WRONG_TYPES) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "does not understand", .n_requests = NOT_COUNTED },
  { "/verifier/redirects-refused/other-host", { FAULT (PING, REDIRECT_HOST) },
    .code = OFL_ERROR_INSECURE_URL, .says = "evil.example.net", .n_requests = NOT_COUNTED },
  { "/verifier/redirects-refused/http", { FAULT (PING, REDIRECT_HTTP) },
    .code = OFL_ERROR_INSECURE_URL, .says = "did not follow it", .n_requests = NOT_COUNTED },
  /* A rejected token beats a temporary failure... */
  { "/verifier/most-useful-error-wins/token", { FAULT (PING, 401), FAULT (ACCOUNT, 503) },
    .code = OFL_ERROR_TOKEN_REJECTED, .says = "token", .n_requests = NOT_COUNTED },
  /* ...and an unknown email beats a temporary failure too. */
  { "/verifier/most-useful-error-wins/email", { FAULT (ACCOUNT, 503) }, .email = "nobody@example.com",
    .code = OFL_ERROR_UNKNOWN_USER, .says = "nobody@example.com", .n_requests = NOT_COUNTED },
  /* Issue 18, item 4: a page larger than asked for is refused, whatever
   * it holds; one page was enough to know. */
  { "/verifier/hostile/oversized-page/workspaces", { FAULT (WORKSPACES, OVERSIZED_PAGE) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "a list page of 5000 items where at most 100",
    .counted = OFL_FAKE_ENDPOINT_WORKSPACES, .n_requests = 1 },
  { "/verifier/hostile/oversized-page/users", { FAULT (USERS, OVERSIZED_PAGE) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "5000 items", .n_requests = NOT_COUNTED },
  { "/verifier/hostile/many-users-capped", { FAULT (USERS, MANY_PAGES) }, .email = "nobody@example.com",
    .code = OFL_ERROR_UNKNOWN_USER,
    .says = "is not among the first 20000 users of this Oneflow account, "
            "and the app looks no further (Oneflow lists 755000)",
    .counted = OFL_FAKE_ENDPOINT_USERS, .n_requests = 200 },
  /* Item 13: a redirect loop within the origin, and a 304, are unexpected
   * responses (no verdict now, exit 3), not "another address" (exit 5).
   * The first request and three redirects, on the same origin. */
  { "/verifier/hostile/redirect-loop", { FAULT (PING, REDIRECT_LOOP) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE,
    .says = "kept sending the app on to other pages of its own, more than 3 times",
    .counted = OFL_FAKE_ENDPOINT_PING, .n_requests = 4 },
  { "/verifier/hostile/not-modified", { FAULT (ACCOUNT, NOT_MODIFIED) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "HTTP 304", .n_requests = NOT_COUNTED },
  /* A redirect or two within the origin is still followed. */
  { "/verifier/hostile/redirects-within-origin", { FAULT_TIMES (PING, REDIRECT_LOOP, 2) },
    .succeeds = TRUE, .counted = OFL_FAKE_ENDPOINT_PING, .n_requests = 3 },
  /* Items 1 and 11 through the client: deep JSON behind a comment, a deep
   * object, the same as an error body, and an id beyond int64. */
  { "/verifier/hostile/bodies/deep-json", { FAULT (USERS, DEEP_JSON) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "holds a comment", .n_requests = NOT_COUNTED },
  { "/verifier/hostile/bodies/deep-object", { FAULT (USERS, DEEP_OBJECT) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "nested too deeply", .n_requests = NOT_COUNTED },
  { "/verifier/hostile/bodies/deep-error", { FAULT (USERS, DEEP_ERROR) },
    .code = OFL_ERROR_UNAVAILABLE, .says = "not available", .n_requests = NOT_COUNTED },
  { "/verifier/hostile/bodies/huge-account-id", { FAULT (ACCOUNT, HUGE_ID) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "too large to be an ID", .n_requests = NOT_COUNTED },
  { "/verifier/hostile/bodies/huge-user-id", { FAULT (USERS, HUGE_ID) },
    .code = OFL_ERROR_UNEXPECTED_RESPONSE, .says = "too large to be an ID", .n_requests = NOT_COUNTED },
};

static void
run_case (Fixture       *fixture,
          gconstpointer  data)
{
  const VerifyCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;

  if (c->client_timeout != 0)
    {
      g_clear_object (&fixture->client);
      fixture->client = ofl_client_new (ofl_fake_server_get_url (fixture->server), c->client_timeout, &error);
      g_assert_no_error (error);
    }
  if (c->revoke != NULL)
    ofl_fake_server_revoke_token (fixture->server, c->revoke);
  if (c->retry_after != NULL)
    ofl_fake_server_set_retry_after (fixture->server, c->retry_after);
  for (guint i = 0; i < G_N_ELEMENTS (c->faults); i++)
    if (c->faults[i].fault != OFL_FAKE_FAULT_NONE)
      ofl_fake_server_set_fault (fixture->server, c->faults[i].endpoint, c->faults[i].fault, c->faults[i].times);

  verification = verify (fixture, c->token ? c->token : OFL_FAKE_TOKEN_ACME,
                         c->email ? c->email : OFL_FAKE_EMAIL_ANNA, NULL, &error);
  if (c->succeeds)
    {
      g_assert_no_error (error);
      g_assert_nonnull (verification);
      g_assert_cmpstr (verification->account->id, ==, OFL_FAKE_ACCOUNT_ACME_ID);
    }
  else
    {
      g_assert_null (verification);
      g_assert_error (error, OFL_ERROR, (int) c->code);
      if (strstr (error->message, c->says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, c->says);
      if (c->retry_after_s != 0)
        g_assert_cmpuint (ofl_error_get_retry_after (error), ==, c->retry_after_s);
    }
  if (c->step != NULL)
    g_assert_true (has_step (fixture, c->step));
  if (c->n_requests != NOT_COUNTED)
    g_assert_cmpint (ofl_fake_server_count_requests (fixture->server, c->counted), ==, c->n_requests);
}

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  verification = verify (fixture, OFL_FAKE_TOKEN_ACME "\n", "  Anna@Example.com ", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verification->account->id, ==, OFL_FAKE_ACCOUNT_ACME_ID);
  g_assert_cmpstr (verification->account->name, ==, OFL_FAKE_ACCOUNT_ACME);
  g_assert_cmpstr (verification->user->email, ==, OFL_FAKE_EMAIL_ANNA);
  g_assert_true (verification->user->active);
  g_assert_true (verification->user->is_admin);
  g_assert_cmpuint (verification->workspaces->len, >, 0);

  /* Each check reported once, without error. */
  g_assert_cmpuint (fixture->steps->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (step_names); i++)
    g_assert_true (has_step (fixture, step_names[i]));

  /* The fewest requests: one per endpoint; the token on each, the email
   * only where the API wants it, and our user agent. */
  requests = ofl_fake_server_get_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 4);
  for (guint i = 0; i < requests->len; i++)
    {
      OflFakeRequest *request = g_ptr_array_index (requests, i);

      g_assert_true (request->has_token && request->token_valid);
      g_assert_nonnull (strstr (request->user_agent, "OneflowLink/" PACKAGE_VERSION));
      if (request->endpoint == OFL_FAKE_ENDPOINT_WORKSPACES)
        g_assert_cmpstr (request->user_email, ==, OFL_FAKE_EMAIL_ANNA);
      else
        g_assert_null (request->user_email);
    }
}

static void
test_token_rejected_request_id (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;

  ofl_fake_server_revoke_token (fixture->server, OFL_FAKE_TOKEN_ACME);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_TOKEN_REJECTED);
  /* Oneflow's request id is kept for support. */
  g_assert_nonnull (ofl_error_get_request_id (error));
  g_assert_cmpstr (ofl_error_get_request_id (error), !=, "");
}

static void
test_network_unreachable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  guint port;

  /* A port that was free a moment ago, now closed: connection refused. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  g_clear_object (&fixture->client);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  fixture->client = ofl_client_new (url, 5, &error);
  g_assert_no_error (error);

  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not reach Oneflow"));
}

static void
test_closed_mid_body (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;

  ofl_fake_server_set_fault (fixture->server, OFL_FAKE_ENDPOINT_ACCOUNT, OFL_FAKE_FAULT_CLOSE_MID_BODY, 0);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_null (verification);
  g_assert_true (g_error_matches (error, OFL_ERROR, OFL_ERROR_NETWORK) ||
                 g_error_matches (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE));
  g_assert_cmpint (ofl_error_get_kind (error), ==, OFL_ERROR_KIND_TEMPORARY);
}

static void
test_tls_refused_then_trusted (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(OflFakeServer) tls_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *pem_path = NULL;
  guint requests_before;

  tls_server = ofl_fake_server_new (TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ofl_fake_server_get_url (tls_server), "https://"));

  g_clear_object (&fixture->client);
  fixture->client = ofl_client_new (ofl_fake_server_get_url (tls_server), 5, &error);
  g_assert_no_error (error);

  /* The system does not trust a self-signed certificate: refused, and
   * no request reached the server. */
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_null (verification);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_TLS);
  g_assert_cmpint (ofl_error_get_kind (error), ==, OFL_ERROR_KIND_SECURITY);
  g_assert_cmpuint (ofl_fake_server_count_requests (tls_server, OFL_FAKE_ENDPOINT_ANY), ==, 0);
  g_clear_error (&error);

  /* Trusted explicitly: the process's default database is exactly that
   * certificate, as on a system whose trust store has it. */
  g_object_get (ofl_fake_server_get_certificate (tls_server), "certificate-pem", &pem, NULL);
  pem_path = g_build_filename (g_get_tmp_dir (), "ofl-test-ca-XXXXXX.pem", NULL);
  {
    int fd = g_mkstemp (pem_path);
    g_assert_cmpint (fd, >=, 0);
    close (fd);
  }
  g_assert_true (g_file_set_contents (pem_path, pem, -1, NULL));
  database = g_tls_file_database_new (pem_path, &error);
  g_assert_no_error (error);
  g_tls_backend_set_default_database (g_tls_backend_get_default (), database);
  /* A new client: libsoup takes the default at its first connection. */
  g_clear_object (&fixture->client);
  fixture->client = ofl_client_new (ofl_fake_server_get_url (tls_server), 5, &error);
  g_assert_no_error (error);

  requests_before = ofl_fake_server_count_requests (tls_server, OFL_FAKE_ENDPOINT_ANY);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_tls_backend_set_default_database (g_tls_backend_get_default (), NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (verification->account->name, ==, OFL_FAKE_ACCOUNT_ACME);
  g_assert_cmpuint (ofl_fake_server_count_requests (tls_server, OFL_FAKE_ENDPOINT_ANY), ==, requests_before + 4);
  g_unlink (pem_path);
}

/* Issue 18: a hostile server. */

/* Item 3: a server that sends one byte a second is given up on at the
 * overall deadline, 3 times the request time-out, though no single read
 * ever waits the time-out. */
static void
test_deadline_drip (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerifier) verifier = NULL;
  gint64 began, elapsed, bound;

  g_clear_object (&fixture->client);
  fixture->client = ofl_client_new (ofl_fake_server_get_url (fixture->server), 2, &error);
  g_assert_no_error (error);
  verifier = ofl_verifier_new (fixture->client);
  g_assert_cmpuint (ofl_verifier_get_deadline (verifier), ==, 6);

  ofl_fake_server_set_fault (fixture->server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_DRIP, 0);
  began = g_get_monotonic_time ();
  assert_fails (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA,
                OFL_ERROR_TIMED_OUT, "did not finish answering within 6 seconds");
  elapsed = g_get_monotonic_time () - began;
  g_assert_cmpint (elapsed, >=, 6 * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, 8 * G_USEC_PER_SEC);
  /* Every check that was cut off says so (ping's "{}" drips in 2 s). */
  g_assert_true (has_step (fixture, "account:timed-out"));
  g_assert_true (has_step (fixture, "workspaces:timed-out"));

  /* The client hung up: the server's next byte finds the door closed. */
  bound = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (ofl_fake_server_count_in_flight (fixture->server) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, bound);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Item 4: 755,000 workspaces in pages of 100: only the pages of the first
 * 1,000 are asked for, only those are kept, and the note says so. */
static void
test_many_workspaces_capped (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  g_autofree char *note = NULL;

  ofl_fake_server_set_fault (fixture->server, OFL_FAKE_ENDPOINT_WORKSPACES, OFL_FAKE_FAULT_MANY_PAGES, 0);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verification->workspaces->len, ==, OFL_VERIFIER_MAX_WORKSPACES);
  g_assert_cmpuint (verification->workspaces_total, ==, 755000);
  g_assert_cmpuint (ofl_fake_server_count_requests (fixture->server, OFL_FAKE_ENDPOINT_WORKSPACES),
                    ==, OFL_VERIFIER_MAX_WORKSPACES / OFL_CLIENT_PAGE_LIMIT);
  note = ofl_verification_describe_limits (verification);
  g_assert_cmpstr (note, ==, "Oneflow lists 755000 workspaces for this user; only the first 1000 are kept and shown.");

  /* Under the cap, nothing to say. */
  ofl_fake_server_reset_faults (fixture->server);
  g_clear_pointer (&verification, ofl_verification_free);
  g_clear_pointer (&note, g_free);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_no_error (error);
  note = ofl_verification_describe_limits (verification);
  g_assert_null (note);
}

static void
test_insecure_urls_refused (void)
{
  const char *refused[] = { "http://api.oneflow.com/v1", "ftp://127.0.0.1/v1", "http://10.0.0.1/v1",
                            "http://127.0.0.1.example.com/v1", "not a url", "" };
  const char *accepted[] = { "https://api.oneflow.com/v1", "http://127.0.0.1:8080/v1",
                             "http://127.3.4.5/v1", "http://localhost:1234/v1", "http://[::1]:99/v1" };
  const char *with_userinfo[] = { "https://user:secret@api.oneflow.com/v1", "https://secret@api.oneflow.com/v1",
                                  "http://user:secret@127.0.0.1:8080/v1", "https://:secret@api.oneflow.com/v1",
                                  "https://user:secret@/v1", "ftp://user:secret@example.com/v1" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OflClient) client = ofl_client_new (refused[i], 5, &error);

      g_assert_null (client);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_INSECURE_URL);
    }

  /* Issue 18, item 12: a user name or password in the address is refused,
   * and the message never shows the password. */
  for (guint i = 0; i < G_N_ELEMENTS (with_userinfo); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OflClient) client = ofl_client_new (with_userinfo[i], 5, &error);

      g_test_message ("%s: %s", with_userinfo[i], error ? error->message : "accepted");
      g_assert_null (client);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_INSECURE_URL);
      g_assert_null (strstr (error->message, "secret"));
      g_assert_true (ofl_config_check_api_url (with_userinfo[i], NULL) == FALSE);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ofl_config_check_api_url ("https://user:secret@api.oneflow.com/v1", &error));
    g_assert_nonnull (strstr (error->message, "“https://api.oneflow.com/v1” holds a user name or password"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (with_userinfo); i++)
    {
      g_autofree char *shown = ofl_config_redact_api_url (with_userinfo[i]);

      g_assert_null (strstr (shown, "secret"));
    }
  {
    g_autofree char *shown = ofl_config_redact_api_url ("https://user:secret@api.oneflow.com/v1");
    g_autofree char *plain = ofl_config_redact_api_url ("https://api.oneflow.com/v1");
    g_autofree char *broken = ofl_config_redact_api_url ("https://user:secret@[bad/v1");

    g_assert_cmpstr (shown, ==, "https://api.oneflow.com/v1");
    g_assert_cmpstr (plain, ==, "https://api.oneflow.com/v1");
    g_assert_cmpstr (broken, ==, "https://[bad/v1");
  }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OflClient) client = ofl_client_new (accepted[i], 5, &error);

      g_assert_no_error (error);
      g_assert_nonnull (client);
    }
}

static void
test_api_url_from_environment (void)
{
  g_autofree char *default_url = NULL;
  g_autofree char *env_url = NULL;

  g_unsetenv ("ONEFLOW_LINK_API_URL");
  default_url = ofl_config_get_api_url ();
  g_assert_cmpstr (default_url, ==, "https://api.oneflow.com/v1");

  g_setenv ("ONEFLOW_LINK_API_URL", "http://127.0.0.1:4000/v1", TRUE);
  env_url = ofl_config_get_api_url ();
  g_assert_cmpstr (env_url, ==, "http://127.0.0.1:4000/v1");
  g_unsetenv ("ONEFLOW_LINK_API_URL");

  g_assert_cmpuint (ofl_config_get_request_timeout (), ==, 20);
}

static gint64 cancelled_at;

static gboolean
cancel_cb (gpointer user_data)
{
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct {
  OflFakeServer *server;
  GCancellable  *cancellable;
} CancelWhenSent;

/* Cancels once all four first requests have reached the server. */
static gboolean
cancel_when_sent (gpointer user_data)
{
  CancelWhenSent *when = user_data;

  if (ofl_fake_server_count_in_flight (when->server) < 4)
    return G_SOURCE_CONTINUE;
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (when->cancellable);
  return G_SOURCE_REMOVE;
}

static void
client_gone_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  CancelWhenSent when = { fixture->server, cancellable };
  gboolean client_gone = FALSE;
  gint64 returned_at, deadline;

  ofl_fake_server_set_latency (fixture->server, OFL_FAKE_ENDPOINT_ANY, 10000);
  g_timeout_add (5, cancel_when_sent, &when);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, cancellable, &error);
  returned_at = g_get_monotonic_time ();

  g_assert_null (verification);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* On Cancel, not when the server would have answered, 10 s later. */
  g_assert_cmpint (returned_at - cancelled_at, <, 5 * G_USEC_PER_SEC);

  /* Nothing more is sent afterwards: a retry would keep the client
   * alive until it was sent, so once the client is gone, the server has
   * seen all there will ever be. */
  g_object_weak_ref (G_OBJECT (fixture->client), client_gone_cb, &client_gone);
  g_clear_object (&fixture->client);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!client_gone && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (client_gone);
  g_assert_cmpuint (ofl_fake_server_count_requests (fixture->server, OFL_FAKE_ENDPOINT_ANY), ==, 4);
}

static void
test_cancel_during_retry_wait (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  gint64 started = g_get_monotonic_time ();

  /* A 5 s Retry-After wait is cut short by Cancel. */
  ofl_fake_server_set_retry_after (fixture->server, "5");
  ofl_fake_server_set_fault (fixture->server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_429_RETRY_AFTER, 0);
  g_timeout_add (300, cancel_cb, cancellable);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 1 * G_USEC_PER_SEC);
}

static gboolean
overlaps (OflFakeRequest *a,
          OflFakeRequest *b)
{
  return a->started_us < b->finished_us && b->started_us < a->finished_us;
}

static gint64
time_verification (Fixture    *fixture,
                   const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;
  gint64 started = g_get_monotonic_time ();

  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, email, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verification->user->email, ==, email);
  return g_get_monotonic_time () - started;
}

static void
test_parallel (Fixture       *fixture,
               gconstpointer  data)
{
  const gint64 latency_us = 200 * 1000;
  g_autoptr(GPtrArray) first_wave = g_ptr_array_new ();
  g_autoptr(GPtrArray) user_pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) requests = NULL;
  gint64 without_latency, with_latency;

  /* 250 users: the one we look for is on the last page. */
  ofl_fake_server_add_filler_users (fixture->server, OFL_FAKE_ACCOUNT_ACME_ID, 247);
  ofl_fake_server_add_user (fixture->server, OFL_FAKE_ACCOUNT_ACME_ID, "last@example.com", "Last User", TRUE);

  /* The same work without latency is the baseline, so a slow machine or
   * a sanitizer build does not count against the round trips. */
  without_latency = time_verification (fixture, "last@example.com");
  ofl_fake_server_clear_requests (fixture->server);
  ofl_fake_server_set_latency (fixture->server, OFL_FAKE_ENDPOINT_ANY, 200);
  with_latency = time_verification (fixture, "last@example.com");

  requests = ofl_fake_server_get_requests (fixture->server);
  for (guint i = 0; i < requests->len; i++)
    {
      OflFakeRequest *request = g_ptr_array_index (requests, i);

      if (request->endpoint == OFL_FAKE_ENDPOINT_USERS)
        g_ptr_array_add (user_pages, request);
      if (request->endpoint != OFL_FAKE_ENDPOINT_USERS || g_strrstr (request->query, "offset=0"))
        g_ptr_array_add (first_wave, request);
    }

  /* ping, account, users page 1 and workspaces ran at the same time... */
  g_assert_cmpuint (first_wave->len, ==, 4);
  for (guint i = 0; i < first_wave->len; i++)
    for (guint j = i + 1; j < first_wave->len; j++)
      g_assert_true (overlaps (g_ptr_array_index (first_wave, i), g_ptr_array_index (first_wave, j)));

  /* ...and the two remaining user pages ran together after it. */
  g_assert_cmpuint (user_pages->len, ==, 3);
  g_assert_true (overlaps (g_ptr_array_index (user_pages, 1), g_ptr_array_index (user_pages, 2)));

  /* Two round trips of latency were added, not six. */
  g_test_message ("250 users: %" G_GINT64_FORMAT " ms with 200 ms latency, %" G_GINT64_FORMAT " ms without",
                  with_latency / 1000, without_latency / 1000);
  g_assert_cmpint (with_latency - without_latency, <, 5 * latency_us / 2);
}

static void
test_paging_finds_mixed_case_email (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;

  ofl_fake_server_add_filler_users (fixture->server, OFL_FAKE_ACCOUNT_ACME_ID, 230);
  ofl_fake_server_add_user (fixture->server, OFL_FAKE_ACCOUNT_ACME_ID, "Zed.Last@Example.COM", "Zed Last", TRUE);

  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, "zed.last@example.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verification->user->name, ==, "Zed Last");
  g_assert_cmpstr (verification->user->email, ==, "zed.last@example.com");
  g_assert_cmpuint (ofl_fake_server_count_requests (fixture->server, OFL_FAKE_ENDPOINT_USERS), ==, 3);
}

static void
test_found_on_first_page_stops (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) verification = NULL;

  /* anna is on page 1 of 3: no other page is asked for. */
  ofl_fake_server_add_filler_users (fixture->server, OFL_FAKE_ACCOUNT_ACME_ID, 250);
  verification = verify (fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ofl_fake_server_count_requests (fixture->server, OFL_FAKE_ENDPOINT_USERS), ==, 1);
}

/* Runs in a subprocess with G_MESSAGES_DEBUG=all: every path that logs. */
static void
secrecy_child (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OflVerification) ok = NULL;
  g_autoptr(OflVerification) limited = NULL;
  g_autoptr(OflVerification) rejected = NULL;

  fixture_set_up (&fixture, NULL);
  ok = verify (&fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_no_error (error);
  ofl_fake_server_set_fault (fixture.server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_503, 1);
  limited = verify (&fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_no_error (error);
  ofl_fake_server_revoke_token (fixture.server, OFL_FAKE_TOKEN_ACME);
  rejected = verify (&fixture, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_TOKEN_REJECTED);
  g_printerr ("%s\n", error->message);
  fixture_tear_down (&fixture, NULL);
}

static void
test_secrecy (void)
{
  if (g_test_subprocess ())
    {
      secrecy_child ();
      return;
    }

  /* main() turns on G_MESSAGES_DEBUG=all in the subprocess. */
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The debug output really was on, and it never shows the token. */
  g_test_trap_assert_stdout ("*retrying once*");
  g_test_trap_assert_stdout_unmatched ("*" OFL_FAKE_TOKEN_ACME "*");
  g_test_trap_assert_stderr_unmatched ("*" OFL_FAKE_TOKEN_ACME "*");
  g_test_trap_assert_stderr_unmatched ("*acme5b1c2d3e*");
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  /* The secrecy test's subprocess logs everything; set it before any
   * thread exists, since setenv() is not thread-safe. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--GTestSubprocess"))
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  g_test_init (&argc, &argv, NULL);

  ADD ("/verifier/success", test_success);
  ADD ("/verifier/token-rejected-request-id", test_token_rejected_request_id);
  ADD ("/verifier/network-unreachable", test_network_unreachable);
  ADD ("/verifier/closed-mid-body", test_closed_mid_body);
  ADD ("/verifier/tls", test_tls_refused_then_trusted);
  ADD ("/verifier/cancel", test_cancel);
  ADD ("/verifier/cancel-during-retry-wait", test_cancel_during_retry_wait);
  ADD ("/verifier/parallel", test_parallel);
  ADD ("/verifier/paging-mixed-case", test_paging_finds_mixed_case_email);
  ADD ("/verifier/found-on-first-page-stops", test_found_on_first_page_stops);
  ADD ("/verifier/hostile/deadline-drip", test_deadline_drip);
  ADD ("/verifier/hostile/many-workspaces-capped", test_many_workspaces_capped);
  for (guint i = 0; i < G_N_ELEMENTS (verify_cases); i++)
    g_test_add (verify_cases[i].path, Fixture, &verify_cases[i], fixture_set_up, run_case, fixture_tear_down);
  g_test_add_func ("/verifier/insecure-urls-refused", test_insecure_urls_refused);
  g_test_add_func ("/verifier/api-url-from-environment", test_api_url_from_environment);
  g_test_add_func ("/verifier/secrecy", test_secrecy);

  return g_test_run ();
}
