/* test-fake-server.c: the fake Oneflow server, seen from a plain
 * SoupSession (not the app's client), as ONEFLOW-API.md describes it. */

#include "ofl-fake-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

typedef struct {
  OflFakeServer *server;
  SoupSession   *session;
} Fixture;

static SoupSession *
session_new (GTlsDatabase *database)
{
  /* libsoup allows 2 connections per host by default: too few to see
   * requests overlap. No proxy: the fake is on loopback. */
  return g_object_new (SOUP_TYPE_SESSION,
                       "max-conns-per-host", 16,
                       "proxy-resolver", NULL,
                       "timeout", 20,
                       "tls-database", database,
                       NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = ofl_fake_server_new (FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  f->session = session_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->server);
}

/* Requests */

typedef struct {
  gboolean  done;
  GBytes   *body;
  GError   *error;
  gint64    started_us;
  gint64    finished_us;
} Fetch;

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_clear_error (&fetch->error);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Fetch *fetch = data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &fetch->error);
  fetch->finished_us = g_get_monotonic_time ();
  fetch->done = TRUE;
}

static void
fetch_start (SoupSession  *session,
             SoupMessage  *msg,
             GCancellable *cancellable,
             Fetch        *fetch)
{
  *fetch = (Fetch) { .started_us = g_get_monotonic_time () };
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_fetched, fetch);
}

static void
fetch_wait (Fetch *fetch)
{
  while (!fetch->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main context until @done or a few seconds pass. */
static gboolean
wait_for (gboolean (*done) (gpointer data),
          gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return done (data);
}

static SoupMessage *
api_message (const char *url,
             const char *path,
             const char *token,
             const char *email)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  SoupMessage *msg = soup_message_new ("GET", uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* The documented spelling; the server must not care about case. */
  if (token)
    soup_message_headers_append (headers, "X-Oneflow-API-Token", token);
  if (email)
    soup_message_headers_append (headers, "x-oneflow-user-email", email);
  soup_message_headers_replace (headers, "User-Agent", "test-fake-server/1.0");
  return msg;
}

/* GETs @path, asserts @status, returns the body. */
static GBytes *
get_bytes (Fixture     *f,
           const char  *path,
           const char  *token,
           const char  *email,
           guint        status,
           SoupMessage **out_msg)
{
  g_autoptr(SoupMessage) msg = api_message (ofl_fake_server_get_url (f->server), path, token, email);
  Fetch fetch;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  fetch_start (f->session, msg, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  if (out_msg)
    *out_msg = g_steal_pointer (&msg);
  return fetch.body;
}

/* GETs @path and asserts the status only. */
static void
expect_status (Fixture    *f,
               const char *path,
               const char *token,
               const char *email,
               guint       status)
{
  g_bytes_unref (get_bytes (f, path, token, email, status, NULL));
}

static JsonNode *
parse (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
get_json (Fixture    *f,
          const char *path,
          const char *token,
          const char *email,
          guint       status)
{
  g_autoptr(GBytes) body = get_bytes (f, path, token, email, status, NULL);

  return parse (body);
}

#define OBJ(node) json_node_get_object (node)

static void
assert_problem (JsonObject *problem,
                guint       status)
{
  g_autofree char *type = g_strdup_printf ("https://api.oneflow.com/v1/error_codes/%u0000", status);

  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (problem, "title"), !=, NULL);
  g_assert_cmpstr (json_object_get_string_member (problem, "detail"), !=, NULL);
  g_assert_cmpint (json_object_get_int_member (problem, "error_code"), ==, status * 10000);
  g_assert_nonnull (json_object_get_object_member (problem, "parameter_problems"));
  g_assert_cmpuint (strlen (json_object_get_string_member (problem, "request_id")), >, 8);
  g_assert_cmpstr (json_object_get_string_member (problem, "type"), ==, type);
}

/* Tests */

static void
test_fixture (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) ping = get_bytes (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 200, NULL);
  g_autoptr(JsonNode) account = NULL;
  g_autoptr(JsonNode) beta = NULL;
  g_autoptr(JsonNode) users = NULL;
  g_autoptr(JsonNode) beta_users = NULL;
  g_autoptr(JsonNode) anna = NULL;
  g_autoptr(JsonNode) carl = NULL;
  g_autoptr(JsonNode) dora = NULL;
  g_autoptr(JsonNode) anonymous = NULL;
  g_autoptr(JsonNode) foreign = NULL;
  JsonArray *data_array;
  JsonObject *user, *workspace, *permissions;
  const char * const account_fields[] = {
    "country_code", "registration_number", "created_time", "updated_time", "_links",
  };
  const char * const user_fields[] = { "title", "phone_number", "_links" };
  const char * const workspace_names[] = { "Sales", "Legal", "HR" };

  g_assert_cmpmem (g_bytes_get_data (ping, NULL), g_bytes_get_size (ping), "{}", 2);
  expect_status (f, "/ping", OFL_FAKE_TOKEN_ACME_NEW, NULL, 200);

  account = get_json (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (OBJ (account), "id")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (OBJ (account), "id"), ==, 1001);
  g_assert_cmpstr (json_object_get_string_member (OBJ (account), "name"), ==, OFL_FAKE_ACCOUNT_ACME);
  for (guint i = 0; i < G_N_ELEMENTS (account_fields); i++)
    g_assert_true (json_object_has_member (OBJ (account), account_fields[i]));

  beta = get_json (f, "/accounts/me", OFL_FAKE_TOKEN_BETA, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (beta), "id"), ==, 2002);
  g_assert_cmpstr (json_object_get_string_member (OBJ (beta), "name"), ==, OFL_FAKE_ACCOUNT_BETA);

  users = get_json (f, "/users?limit=100&offset=0", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (users), "count"), ==, 3);
  data_array = json_object_get_array_member (OBJ (users), "data");
  g_assert_cmpuint (json_array_get_length (data_array), ==, 3);
  user = json_array_get_object_element (data_array, 0);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, OFL_FAKE_EMAIL_ANNA);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "Anna Andersson");
  g_assert_true (json_object_get_boolean_member (user, "active"));
  g_assert_true (json_object_get_boolean_member (user, "is_admin"));
  g_assert_cmpstr (json_object_get_string_member (user, "state"), ==, "registered");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (user, "id")), ==, G_TYPE_INT64);
  for (guint i = 0; i < G_N_ELEMENTS (user_fields); i++)
    g_assert_true (json_object_has_member (user, user_fields[i]));
  user = json_array_get_object_element (data_array, 1);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, OFL_FAKE_EMAIL_BERT);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "Bert Berg");
  g_assert_false (json_object_get_boolean_member (user, "active"));
  user = json_array_get_object_element (data_array, 2);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, OFL_FAKE_EMAIL_CARL);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "Carl Carlsson");
  g_assert_true (json_object_get_boolean_member (user, "active"));
  g_assert_false (json_object_get_boolean_member (user, "is_admin"));

  /* A token only sees its own account. */
  beta_users = get_json (f, "/users", OFL_FAKE_TOKEN_BETA, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (beta_users), "count"), ==, 2);
  data_array = json_object_get_array_member (OBJ (beta_users), "data");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data_array, 0), "email"),
                   ==, OFL_FAKE_EMAIL_ANNA);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data_array, 1), "email"),
                   ==, OFL_FAKE_EMAIL_DORA);
  foreign = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_DORA, 403);
  assert_problem (OBJ (foreign), 403);

  anna = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (anna), "count"), ==, 3);
  data_array = json_object_get_array_member (OBJ (anna), "data");
  for (guint i = 0; i < 3; i++)
    {
      workspace = json_array_get_object_element (data_array, i);
      g_assert_cmpstr (json_object_get_string_member (workspace, "name"), ==, workspace_names[i]);
      permissions = json_object_get_object_member (workspace, "_permissions");
      g_assert_true (json_object_get_boolean_member (permissions, "contract:create"));
      g_assert_true (json_object_get_boolean_member (permissions, "contract:read"));
      g_assert_true (json_object_get_boolean_member (permissions, "contract:delete"));
      g_assert_true (json_object_get_boolean_member (permissions, "template:use"));
    }

  carl = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_CARL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (carl), "count"), ==, 1);
  workspace = json_array_get_object_element (json_object_get_array_member (OBJ (carl), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (workspace, "name"), ==, "Sales");
  permissions = json_object_get_object_member (workspace, "_permissions");
  g_assert_true (json_object_get_boolean_member (permissions, "contract:read"));
  g_assert_false (json_object_get_boolean_member (permissions, "contract:create"));
  g_assert_false (json_object_get_boolean_member (permissions, "contract:update"));

  dora = get_json (f, "/workspaces", OFL_FAKE_TOKEN_BETA, OFL_FAKE_EMAIL_DORA, 200);
  workspace = json_array_get_object_element (json_object_get_array_member (OBJ (dora), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (workspace, "name"), ==, "Helsinki");

  /* Documented: without the email the request runs as an anonymous admin. */
  anonymous = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (anonymous), "count"), ==, 3);
}

static const char *
link_href (JsonObject *list,
           const char *name)
{
  JsonObject *link = json_object_get_object_member (json_object_get_object_member (list, "_links"), name);

  return json_object_get_string_member (link, "href");
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  const char *url = ofl_fake_server_get_url (f->server);
  g_autoptr(JsonNode) page1 = NULL;
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) page3 = NULL;
  g_autoptr(JsonNode) defaults = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autoptr(JsonNode) zed = NULL;
  g_autofree char *next = NULL;
  JsonArray *users;
  JsonObject *user;
  const char * const bad[] = {
    "limit=0", "limit=101", "limit=abc", "limit=-1", "offset=19901", "offset=x",
  };

  ofl_fake_server_add_filler_users (f->server, OFL_FAKE_ACCOUNT_ACME_ID, 250);
  ofl_fake_server_add_user (f->server, OFL_FAKE_ACCOUNT_ACME_ID, "Zed.Last@Example.COM", "Zed Last", TRUE);

  page1 = get_json (f, "/users?limit=100&offset=0", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (page1), "count"), ==, 254);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (OBJ (page1), "data")), ==, 100);
  next = g_strconcat (url, "/users?limit=100&offset=100", NULL);
  g_assert_cmpstr (link_href (OBJ (page1), "next"), ==, next);
  g_assert_null (link_href (OBJ (page1), "previous"));
  g_assert_nonnull (link_href (OBJ (page1), "self"));
  user = json_array_get_object_element (json_object_get_array_member (OBJ (page1), "data"), 3);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "filler0001@acme.example");

  page2 = get_json (f, link_href (OBJ (page1), "next") + strlen (url), OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (page2), "count"), ==, 254);
  page3 = get_json (f, link_href (OBJ (page2), "next") + strlen (url), OFL_FAKE_TOKEN_ACME, NULL, 200);
  users = json_object_get_array_member (OBJ (page3), "data");
  g_assert_cmpuint (json_array_get_length (users), ==, 54);
  g_assert_null (link_href (OBJ (page3), "next"));
  g_assert_nonnull (link_href (OBJ (page3), "previous"));
  user = json_array_get_object_element (users, 53);
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "Zed.Last@Example.COM");
  g_assert_true (json_object_get_boolean_member (user, "active"));

  /* The email header matches in any case. */
  zed = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, "zed.last@example.com", 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (zed), "count"), ==, 3);

  defaults = get_json (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (OBJ (defaults), "data")), ==, 100);
  last = get_json (f, "/users?limit=1&offset=19900", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (last), "count"), ==, 254);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (OBJ (last), "data")), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat ("/users?", bad[i], NULL);
      g_autoptr(JsonNode) problem = get_json (f, path, OFL_FAKE_TOKEN_ACME, NULL, 400);
      JsonObject *problems;

      assert_problem (OBJ (problem), 400);
      problems = json_object_get_object_member (OBJ (problem), "parameter_problems");
      g_assert_cmpuint (json_object_get_size (problems), ==, 1);
    }
}

static void
test_users_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) upper = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, "ANNA@Example.COM", 200);
  g_autoptr(JsonNode) bert = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_BERT, 403);
  g_autoptr(JsonNode) nobody = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, "nobody@example.com", 403);
  g_autoptr(JsonNode) users = NULL;

  g_assert_cmpint (json_object_get_int_member (OBJ (upper), "count"), ==, 3);
  assert_problem (OBJ (bert), 403);
  assert_problem (OBJ (nobody), 403);

  ofl_fake_server_set_user_active (f->server, OFL_FAKE_EMAIL_BERT, TRUE);
  expect_status (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_BERT, 200);

  ofl_fake_server_set_user_active (f->server, "Carl@Example.com", FALSE);
  expect_status (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_CARL, 403);

  ofl_fake_server_remove_user (f->server, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_EMAIL_CARL);
  expect_status (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_CARL, 403);
  users = get_json (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (users), "count"), ==, 2);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = get_bytes (f, "/ping", NULL, NULL, 401, &msg);
  g_autoptr(JsonNode) missing = parse (body);
  g_autoptr(JsonNode) unknown = get_json (f, "/users", "0000000000000000000000000000000000000000", NULL, 401);
  g_autoptr(JsonNode) revoked = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *token = "added000011112222333344445555666677778888";

  assert_problem (OBJ (missing), 401);
  g_assert_cmpstr (json_object_get_string_member (OBJ (missing), "title"), ==, "Unauthorized");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-request-id"), ==,
                   json_object_get_string_member (OBJ (missing), "request_id"));
  assert_problem (OBJ (unknown), 401);
  g_assert_cmpstr (json_object_get_string_member (OBJ (missing), "request_id"), !=,
                   json_object_get_string_member (OBJ (unknown), "request_id"));

  ofl_fake_server_revoke_token (f->server, OFL_FAKE_TOKEN_ACME);
  revoked = get_json (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 401);
  assert_problem (OBJ (revoked), 401);
  expect_status (f, "/ping", OFL_FAKE_TOKEN_ACME_NEW, NULL, 200);

  ofl_fake_server_add_token (f->server, OFL_FAKE_ACCOUNT_BETA_ID, token);
  added = get_json (f, "/accounts/me", token, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (OBJ (added), "id"), ==, 2002);

  requests = ofl_fake_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 5);
  g_assert_false (((OflFakeRequest *) requests->pdata[0])->has_token);
  g_assert_true (((OflFakeRequest *) requests->pdata[1])->has_token);
  g_assert_false (((OflFakeRequest *) requests->pdata[1])->token_valid);
  g_assert_false (((OflFakeRequest *) requests->pdata[2])->token_valid);
  g_assert_true (((OflFakeRequest *) requests->pdata[3])->token_valid);
  g_assert_cmpuint (((OflFakeRequest *) requests->pdata[2])->status, ==, 401);
}

typedef struct {
  OflFakeFault  fault;
  guint         status;
} FaultCase;

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const FaultCase problems[] = {
    { OFL_FAKE_FAULT_401, 401 }, { OFL_FAKE_FAULT_403, 403 }, { OFL_FAKE_FAULT_404, 404 },
    { OFL_FAKE_FAULT_429, 429 }, { OFL_FAKE_FAULT_500, 500 }, { OFL_FAKE_FAULT_503, 503 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) problem = NULL;

      ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, problems[i].fault, 1);
      body = get_bytes (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, problems[i].status, &msg);
      problem = parse (body);
      assert_problem (OBJ (problem), problems[i].status);
      g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      if (problems[i].status == 429)
        g_assert_cmpstr (json_object_get_string_member (OBJ (problem), "detail"), ==,
                         "You have reached the 5 minute rate limit for requests. "
                         "Try again in a few minutes.");
      /* times = 1: the next request is answered normally. */
      expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;

      if (i == 1)
        ofl_fake_server_set_retry_after (f->server, "7");
      ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_PING, OFL_FAKE_FAULT_429_RETRY_AFTER, 1);
      body = get_bytes (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 429, &msg);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"),
                       ==, i == 0 ? "1" : "7");
    }
}

static gboolean
parses (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
}

static void
test_bad_bodies (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) html = NULL;
  g_autoptr(GBytes) invalid = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(JsonNode) array = NULL;
  g_autoptr(JsonNode) wrong_users = NULL;
  g_autoptr(JsonNode) wrong_account = NULL;
  g_autoptr(JsonNode) wrong_workspaces = NULL;
  g_autoptr(JsonNode) huge_node = NULL;
  SoupMessageHeaders *headers;
  JsonObject *user;

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ACCOUNT, OFL_FAKE_FAULT_HTML, 1);
  html = get_bytes (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 200, &msg);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/html");
  g_assert_true (g_str_has_prefix (g_bytes_get_data (html, NULL), "<!DOCTYPE html>"));
  g_clear_object (&msg);

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ACCOUNT, OFL_FAKE_FAULT_INVALID_JSON, 1);
  invalid = get_bytes (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 200, NULL);
  g_assert_false (parses (invalid));

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_TRUNCATED_JSON, 1);
  truncated = get_bytes (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200, &msg);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, g_bytes_get_size (truncated));
  g_assert_cmpuint (g_bytes_get_size (truncated), >, 10);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (truncated, NULL), "{\"_links\""));
  g_assert_false (parses (truncated));
  g_clear_object (&msg);

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_HUGE_JSON, 1);
  huge = get_bytes (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200, NULL);
  g_assert_cmpuint (g_bytes_get_size (huge), >=, 10 * 1000 * 1000);
  huge_node = parse (huge);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (huge_node));

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ACCOUNT, OFL_FAKE_FAULT_ARRAY, 1);
  array = get_json (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_WRONG_TYPES, 0);
  wrong_users = get_json (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (OBJ (wrong_users), "count")), ==, G_TYPE_STRING);
  user = json_array_get_object_element (json_object_get_array_member (OBJ (wrong_users), "data"), 0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (user, "id")), ==, G_TYPE_STRING);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (user, "email")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (user, "active")), ==, G_TYPE_STRING);
  wrong_account = get_json (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (OBJ (wrong_account), "id")), ==, G_TYPE_STRING);
  wrong_workspaces = get_json (f, "/workspaces", OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (OBJ (wrong_workspaces), "data")));
}

static void
test_redirects (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SoupMessage) to_http = NULL;
  g_autoptr(SoupMessage) to_host = NULL;
  g_autoptr(SoupMessage) follow = NULL;
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u/v1/users?limit=5",
                                               ofl_fake_server_get_redirect_port (f->server));
  const char *location;
  Fetch fetch;

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_REDIRECT_HTTP, 1);
  g_bytes_unref (get_bytes (f, "/users?limit=5", OFL_FAKE_TOKEN_ACME, NULL, 302, &to_http));
  location = soup_message_headers_get_one (soup_message_get_response_headers (to_http), "Location");
  g_assert_cmpstr (location, ==, expected);
  g_assert_cmpuint (ofl_fake_server_get_redirect_port (f->server), !=, ofl_fake_server_get_port (f->server));

  /* Something answers there, so a client that follows would succeed. */
  follow = api_message (location, "", OFL_FAKE_TOKEN_ACME, NULL);
  fetch_start (f->session, follow, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (soup_message_get_status (follow), ==, 200);
  fetch_clear (&fetch);

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_REDIRECT_HOST, 1);
  g_bytes_unref (get_bytes (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 302, &to_host));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (to_host), "Location"),
                   ==, "https://evil.example.net/v1/ping");
}

static void
test_fault_precedence (Fixture       *f,
                       gconstpointer  data)
{
  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_500, 0);
  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_429, 2);
  expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 429);
  expect_status (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 500);
  expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 429);
  /* Its own fault used up, the endpoint falls back to ANY's. */
  expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 500);
  expect_status (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 500);
  ofl_fake_server_reset_faults (f->server);
  expect_status (f, "/ping", OFL_FAKE_TOKEN_ACME, NULL, 200);
  expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
  g_assert_cmpuint (ofl_fake_server_count_requests (f->server, OFL_FAKE_ENDPOINT_USERS), ==, 4);
  g_assert_cmpuint (ofl_fake_server_count_requests (f->server, OFL_FAKE_ENDPOINT_PING), ==, 3);
  g_assert_cmpuint (ofl_fake_server_count_requests (f->server, OFL_FAKE_ENDPOINT_ANY), ==, 7);
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  const char *paths[] = {
    "/ping", "/accounts/me", "/users?offset=0", "/users?offset=100", "/users?offset=200", "/workspaces",
  };
  SoupMessage *msgs[G_N_ELEMENTS (paths)];
  Fetch fetches[G_N_ELEMENTS (paths)];
  g_autoptr(GPtrArray) requests = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 last_start = 0, first_finish = G_MAXINT64;

  ofl_fake_server_set_latency (f->server, OFL_FAKE_ENDPOINT_ANY, 200);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      msgs[i] = api_message (ofl_fake_server_get_url (f->server), paths[i],
                             OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);
      fetch_start (f->session, msgs[i], NULL, &fetches[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      fetch_wait (&fetches[i]);
      g_assert_no_error (fetches[i].error);
      g_assert_cmpuint (soup_message_get_status (msgs[i]), ==, 200);
      g_assert_cmpint (fetches[i].finished_us - fetches[i].started_us, >=, 190 * 1000);
      fetch_clear (&fetches[i]);
      g_object_unref (msgs[i]);
    }
  /* Served one after the other, this would take 1.2 s. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 6 * 200 * 1000);

  /* The log shows them all open at once. */
  requests = ofl_fake_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (paths));
  for (guint i = 0; i < requests->len; i++)
    {
      OflFakeRequest *req = requests->pdata[i];

      g_assert_cmpint (req->finished_us - req->started_us, >=, 190 * 1000);
      last_start = MAX (last_start, req->started_us);
      first_finish = MIN (first_finish, req->finished_us);
    }
  g_assert_cmpint (last_start, <, first_finish);
}

static void
test_latency_per_endpoint (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SoupMessage) slow = api_message (ofl_fake_server_get_url (f->server), "/users",
                                             OFL_FAKE_TOKEN_ACME, NULL);
  g_autoptr(SoupMessage) fast = api_message (ofl_fake_server_get_url (f->server), "/ping",
                                             OFL_FAKE_TOKEN_ACME, NULL);
  Fetch slow_fetch, fast_fetch;

  ofl_fake_server_set_latency (f->server, OFL_FAKE_ENDPOINT_USERS, 300);
  fetch_start (f->session, slow, NULL, &slow_fetch);
  fetch_start (f->session, fast, NULL, &fast_fetch);
  fetch_wait (&fast_fetch);
  g_assert_false (slow_fetch.done);
  g_assert_cmpuint (ofl_fake_server_count_in_flight (f->server), ==, 1);
  fetch_wait (&slow_fetch);
  g_assert_cmpint (slow_fetch.finished_us - slow_fetch.started_us, >=, 290 * 1000);
  g_assert_cmpuint (ofl_fake_server_count_in_flight (f->server), ==, 0);
  fetch_clear (&slow_fetch);
  fetch_clear (&fast_fetch);
}

static gboolean
one_in_flight (gpointer data)
{
  return ofl_fake_server_count_in_flight (data) == 1;
}

static gboolean
two_in_flight (gpointer data)
{
  return ofl_fake_server_count_in_flight (data) == 2;
}

static gboolean
none_in_flight (gpointer data)
{
  return ofl_fake_server_count_in_flight (data) == 0;
}

static void
test_hang (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = api_message (ofl_fake_server_get_url (f->server), "/ping",
                                            OFL_FAKE_TOKEN_ACME, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) requests = NULL;
  Fetch fetch;

  ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_PING, OFL_FAKE_FAULT_HANG, 0);
  fetch_start (f->session, msg, cancellable, &fetch);
  g_assert_true (wait_for (one_in_flight, f->server));
  /* A request sent after it is answered in full: the hung one has had
   * its turn, and is still open. */
  expect_status (f, "/accounts/me", OFL_FAKE_TOKEN_ACME, NULL, SOUP_STATUS_OK);
  g_assert_false (fetch.done);
  g_assert_cmpuint (ofl_fake_server_count_in_flight (f->server), ==, 1);

  /* The client gives up: the server notices, and stops counting it. */
  g_cancellable_cancel (cancellable);
  fetch_wait (&fetch);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (wait_for (none_in_flight, f->server));
  requests = ofl_fake_server_get_requests (f->server);
  g_assert_cmpuint (((OflFakeRequest *) requests->pdata[0])->status, ==, 0);
  fetch_clear (&fetch);
}

static void
test_hang_dispose (void)
{
  g_autoptr(GError) error = NULL;
  OflFakeServer *server = ofl_fake_server_new (FALSE, &error);
  g_autoptr(SoupSession) session = session_new (NULL);
  g_autoptr(SoupMessage) msg = api_message (ofl_fake_server_get_url (server), "/users",
                                            OFL_FAKE_TOKEN_ACME, NULL);
  g_autoptr(SoupMessage) slow = api_message (ofl_fake_server_get_url (server), "/ping",
                                             OFL_FAKE_TOKEN_ACME, NULL);
  Fetch fetch, slow_fetch;

  g_assert_no_error (error);
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_HANG, 0);
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_PING, 10000);
  fetch_start (session, msg, NULL, &fetch);
  fetch_start (session, slow, NULL, &slow_fetch);
  g_assert_true (wait_for (two_in_flight, server));

  /* Disposing the server with requests open frees them and hangs up. */
  g_assert_finalize_object (server);
  fetch_wait (&fetch);
  fetch_wait (&slow_fetch);
  g_assert_nonnull (fetch.error);
  g_assert_nonnull (slow_fetch.error);
  fetch_clear (&fetch);
  fetch_clear (&slow_fetch);
}

static void
test_close_mid_body (Fixture       *f,
                     gconstpointer  data)
{
  for (guint latency = 0; latency <= 50; latency += 50)
    {
      g_autoptr(SoupMessage) msg = api_message (ofl_fake_server_get_url (f->server), "/users",
                                                OFL_FAKE_TOKEN_ACME, NULL);
      Fetch fetch;

      ofl_fake_server_set_latency (f->server, OFL_FAKE_ENDPOINT_ANY, latency);
      ofl_fake_server_set_fault (f->server, OFL_FAKE_ENDPOINT_USERS, OFL_FAKE_FAULT_CLOSE_MID_BODY, 1);
      fetch_start (f->session, msg, NULL, &fetch);
      fetch_wait (&fetch);
      g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
      g_assert_true (wait_for (none_in_flight, f->server));
      fetch_clear (&fetch);

      expect_status (f, "/users", OFL_FAKE_TOKEN_ACME, NULL, 200);
    }
}

static void
test_request_log (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) cleared = NULL;
  OflFakeRequest *req;

  expect_status (f, "/users?limit=5&offset=0", OFL_FAKE_TOKEN_ACME, NULL, 200);
  expect_status (f, "/workspaces", OFL_FAKE_TOKEN_BETA, "Dora@Example.com", 200);
  expect_status (f, "/nowhere", OFL_FAKE_TOKEN_ACME, NULL, 404);
  requests = ofl_fake_server_get_requests (f->server);

  g_assert_cmpuint (requests->len, ==, 3);
  req = requests->pdata[0];
  g_assert_cmpint (req->endpoint, ==, OFL_FAKE_ENDPOINT_USERS);
  g_assert_cmpstr (req->method, ==, "GET");
  g_assert_cmpstr (req->path, ==, "/v1/users");
  g_assert_cmpstr (req->query, ==, "limit=5&offset=0");
  g_assert_true (req->has_token);
  g_assert_true (req->token_valid);
  g_assert_null (req->user_email);
  g_assert_cmpstr (req->user_agent, ==, "test-fake-server/1.0");
  g_assert_cmpuint (req->status, ==, 200);
  g_assert_cmpint (req->started_us, >, 0);
  g_assert_cmpint (req->finished_us, >=, req->started_us);

  req = requests->pdata[1];
  g_assert_cmpint (req->endpoint, ==, OFL_FAKE_ENDPOINT_WORKSPACES);
  g_assert_null (req->query);
  g_assert_cmpstr (req->user_email, ==, "Dora@Example.com");

  req = requests->pdata[2];
  g_assert_cmpint (req->endpoint, ==, OFL_FAKE_ENDPOINT_ANY);
  g_assert_cmpuint (req->status, ==, 404);

  ofl_fake_server_clear_requests (f->server);
  g_assert_cmpuint (ofl_fake_server_count_requests (f->server, OFL_FAKE_ENDPOINT_ANY), ==, 0);
  cleared = ofl_fake_server_get_requests (f->server);
  g_assert_cmpuint (cleared->len, ==, 0);
  /* What the test still holds stays valid. */
  g_assert_cmpstr (((OflFakeRequest *) requests->pdata[0])->path, ==, "/v1/users");
}

static void
test_names (void)
{
  for (guint i = 0; i < OFL_FAKE_N_ENDPOINTS; i++)
    {
      OflFakeEndpoint endpoint;

      g_assert_true (ofl_fake_endpoint_from_string (ofl_fake_endpoint_to_string (i), &endpoint));
      g_assert_cmpint (endpoint, ==, i);
    }
  for (guint i = 0; i < OFL_FAKE_N_FAULTS; i++)
    {
      OflFakeFault fault;

      g_assert_true (ofl_fake_fault_from_string (ofl_fake_fault_to_string (i), &fault));
      g_assert_cmpint (fault, ==, i);
    }
  {
    OflFakeFault fault;
    OflFakeEndpoint endpoint;

    g_assert_true (ofl_fake_fault_from_string ("429_RETRY_AFTER", &fault));
    g_assert_cmpint (fault, ==, OFL_FAKE_FAULT_429_RETRY_AFTER);
    g_assert_false (ofl_fake_fault_from_string ("teapot", &fault));
    g_assert_false (ofl_fake_endpoint_from_string ("contracts", &endpoint));
  }
}

/* TLS */

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  OflFakeServer *server = ofl_fake_server_new (TRUE, &error);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) untrusting = session_new (NULL);
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(SoupMessage) refused = NULL;
  g_autoptr(SoupMessage) accepted = NULL;
  g_autoptr(SoupMessage) hanging = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Fetch fetch;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ofl_fake_server_get_url (server), "https://127.0.0.1:"));
  g_assert_true (G_IS_TLS_CERTIFICATE (ofl_fake_server_get_certificate (server)));
  g_assert_true (g_file_test (ofl_fake_server_get_certificate_path (server), G_FILE_TEST_EXISTS));

  refused = api_message (ofl_fake_server_get_url (server), "/ping", OFL_FAKE_TOKEN_ACME, NULL);
  fetch_start (untrusting, refused, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_error (fetch.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (soup_message_get_tls_peer_certificate_errors (refused) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  fetch_clear (&fetch);

  database = g_tls_file_database_new (ofl_fake_server_get_certificate_path (server), &error);
  g_assert_no_error (error);
  trusting = session_new (database);
  /* With latency too: a paused TLS request must not look like a client
   * that went away. */
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 100);
  accepted = api_message (ofl_fake_server_get_url (server), "/ping", OFL_FAKE_TOKEN_ACME, NULL);
  fetch_start (trusting, accepted, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (soup_message_get_status (accepted), ==, 200);
  g_assert_cmpint (fetch.finished_us - fetch.started_us, >=, 90 * 1000);
  fetch_clear (&fetch);

  /* A hanging TLS request is let go of when its client gives up. */
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_HANG, 0);
  hanging = api_message (ofl_fake_server_get_url (server), "/ping", OFL_FAKE_TOKEN_ACME, NULL);
  fetch_start (trusting, hanging, cancellable, &fetch);
  g_assert_true (wait_for (one_in_flight, server));
  g_cancellable_cancel (cancellable);
  fetch_wait (&fetch);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (wait_for (none_in_flight, server));
  fetch_clear (&fetch);

  g_clear_object (&trusting);
  g_clear_object (&untrusting);
  g_assert_finalize_object (server);
}

static void
test_tls_expired (void)
{
  g_autoptr(GError) error = NULL;
  OflFakeServer *server = ofl_fake_server_new_with_expired_certificate (&error);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Fetch fetch;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ofl_fake_server_get_url (server), "https://"));
  /* Even a client that trusts this very certificate must refuse it. */
  database = g_tls_file_database_new (ofl_fake_server_get_certificate_path (server), &error);
  g_assert_no_error (error);
  session = session_new (database);
  msg = api_message (ofl_fake_server_get_url (server), "/ping", OFL_FAKE_TOKEN_ACME, NULL);
  fetch_start (session, msg, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_error (fetch.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (soup_message_get_tls_peer_certificate_errors (msg) & G_TLS_CERTIFICATE_EXPIRED);
  fetch_clear (&fetch);

  g_clear_object (&session);
  g_assert_finalize_object (server);
}

/* The program */

static guint
send_simple (SoupSession *session,
             const char  *method,
             const char  *url,
             const char  *token,
             GBytes     **body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Fetch fetch;
  guint status;

  if (token)
    soup_message_headers_append (soup_message_get_request_headers (msg), "x-oneflow-api-token", token);
  fetch_start (session, msg, NULL, &fetch);
  fetch_wait (&fetch);
  g_assert_no_error (fetch.error);
  status = soup_message_get_status (msg);
  if (body)
    *body = g_steal_pointer (&fetch.body);
  fetch_clear (&fetch);
  return status;
}

/* A failed assertion must not leave the server running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts the program and reads the URL it prints first. */
static GSubprocess *
spawn_program (char       **url,
               const char  *first_arg,
               ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  va_list args;

  g_ptr_array_add (argv, (char *) OFL_FAKE_SERVER_PROGRAM);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  *url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*url);
  return process;
}

static void
stop_program (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_program (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(SoupSession) session = session_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *users_url = NULL;
  g_autofree char *ping_url = NULL;
  g_autofree char *control = NULL;
  g_autoptr(GBytes) users = NULL;
  g_autoptr(GBytes) log = NULL;
  g_autoptr(JsonNode) users_node = NULL;
  g_autoptr(JsonNode) log_node = NULL;
  g_autofree char *log_text = NULL;
  JsonArray *entries;

  process = spawn_program (&url, "--users", "5", "--latency", "0", "--fault", "ping=503:1", NULL);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/v1"));
  base = g_strndup (url, strlen (url) - strlen ("/v1"));
  ping_url = g_strconcat (url, "/ping", NULL);
  users_url = g_strconcat (url, "/users", NULL);

  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_ACME, NULL), ==, 503);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_ACME, NULL), ==, 200);
  g_assert_cmpuint (send_simple (session, "GET", users_url, OFL_FAKE_TOKEN_ACME, &users), ==, 200);
  users_node = parse (users);
  g_assert_cmpint (json_object_get_int_member (OBJ (users_node), "count"), ==, 3 + 5);

  control = g_strconcat (base, "/_fake/revoke?token=" OFL_FAKE_TOKEN_ACME, NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_ACME, NULL), ==, 401);
  g_free (control);
  control = g_strconcat (base, "/_fake/fault?endpoint=ping&fault=429-retry-after&times=1", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_ACME_NEW, NULL), ==, 429);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_ACME_NEW, NULL), ==, 200);
  g_free (control);
  control = g_strconcat (base, "/_fake/token?account=2002&token=betatoken00000000000000000000000000000001", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, "betatoken00000000000000000000000000000001", NULL), ==, 200);
  g_free (control);
  control = g_strconcat (base, "/_fake/latency?endpoint=any&ms=1", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_free (control);
  control = g_strconcat (base, "/_fake/user?email=eve@example.com&active=false", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_free (control);
  control = g_strconcat (base, "/_fake/reset", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 200);
  g_free (control);
  control = g_strconcat (base, "/_fake/no-such-thing", NULL);
  g_assert_cmpuint (send_simple (session, "POST", control, NULL, NULL), ==, 400);
  g_free (control);

  control = g_strconcat (base, "/_fake/requests", NULL);
  g_assert_cmpuint (send_simple (session, "GET", control, NULL, &log), ==, 200);
  log_text = g_strndup (g_bytes_get_data (log, NULL), g_bytes_get_size (log));
  g_assert_null (strstr (log_text, OFL_FAKE_TOKEN_ACME));
  g_assert_null (strstr (log_text, OFL_FAKE_TOKEN_ACME_NEW));
  log_node = parse (log);
  entries = json_node_get_array (log_node);
  g_assert_cmpuint (json_array_get_length (entries), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "endpoint"),
                   ==, "ping");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 0), "status"),
                   ==, 503);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (entries, 3), "token_valid"));

  stop_program (process);
}

static void
test_program_tls (void)
{
  g_autofree char *url = NULL;
  g_autofree char *ping_url = NULL;
  g_autoptr(GSubprocess) process = spawn_program (&url, "--tls", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (OFL_FAKE_CERT_DIR "/fake-server-cert.pem", &error);
  g_autoptr(SoupSession) session = session_new (database);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  ping_url = g_strconcat (url, "/ping", NULL);
  g_assert_cmpuint (send_simple (session, "GET", ping_url, OFL_FAKE_TOKEN_BETA, NULL), ==, 200);
  stop_program (process);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add ("/fake/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/fake/names", test_names);
  FIXTURE_TEST ("fixture", test_fixture);
  FIXTURE_TEST ("paging", test_paging);
  FIXTURE_TEST ("users-change", test_users_change);
  FIXTURE_TEST ("unauthorized", test_unauthorized);
  FIXTURE_TEST ("faults", test_faults);
  FIXTURE_TEST ("bad-bodies", test_bad_bodies);
  FIXTURE_TEST ("redirects", test_redirects);
  FIXTURE_TEST ("fault-precedence", test_fault_precedence);
  FIXTURE_TEST ("latency", test_latency);
  FIXTURE_TEST ("latency-per-endpoint", test_latency_per_endpoint);
  FIXTURE_TEST ("hang", test_hang);
  g_test_add_func ("/fake/hang-dispose", test_hang_dispose);
  FIXTURE_TEST ("close-mid-body", test_close_mid_body);
  FIXTURE_TEST ("request-log", test_request_log);
  g_test_add_func ("/fake/tls", test_tls);
  g_test_add_func ("/fake/tls-expired", test_tls_expired);
  g_test_add_func ("/fake/program", test_program);
  g_test_add_func ("/fake/program-tls", test_program_tls);

  return g_test_run ();
}
