/* test-parsers.c: the response parsers refuse anything malformed */

#include "config.h"

#include <string.h>

#include "ofl-api-types.h"
#include "ofl-error.h"
#include "ofl-soup.h"

static void
test_account (void)
{
  const char *body = "{\"id\": 1001, \"name\": \"Acme AB\", \"country_code\": \"SE\", \"_links\": {}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OflAccount) account = ofl_parse_account (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (account->id, ==, "1001");
  g_assert_cmpstr (account->name, ==, "Acme AB");
}

static void
test_user_page (void)
{
  const char *body =
    "{\"_links\": {\"next\": {\"href\": null}}, \"count\": 2, \"data\": ["
    "{\"id\": 1, \"email\": \"Anna@Example.com\", \"name\": \"Anna\", \"active\": true, \"is_admin\": true},"
    "{\"id\": 2, \"email\": \"bert@example.com\", \"name\": null, \"active\": false, \"is_admin\": false}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OflPage) page = ofl_parse_user_page (body, strlen (body), &error);
  OflUser *anna, *bert;

  g_assert_no_error (error);
  g_assert_cmpuint (page->count, ==, 2);
  g_assert_cmpuint (page->items->len, ==, 2);
  anna = g_ptr_array_index (page->items, 0);
  bert = g_ptr_array_index (page->items, 1);
  g_assert_cmpstr (anna->email, ==, "anna@example.com");
  g_assert_true (anna->active && anna->is_admin);
  g_assert_false (bert->active);
  g_assert_null (bert->name);
}

static void
test_workspace_page (void)
{
  const char *body =
    "{\"count\": 1, \"data\": [{\"id\": 7, \"name\": \"Sales\", "
    "\"_permissions\": {\"contract:update\": true, \"contract:delete\": false, \"contract:create\": true, \"x\": \"yes\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OflPage) page = ofl_parse_workspace_page (body, strlen (body), &error);
  OflWorkspace *sales;

  g_assert_no_error (error);
  sales = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (sales->name, ==, "Sales");
  g_assert_cmpuint (g_strv_length (sales->permissions), ==, 2);
  g_assert_cmpstr (sales->permissions[0], ==, "contract:create");
  g_assert_cmpstr (sales->permissions[1], ==, "contract:update");
}

static const char *bad_bodies[] = {
  "",
  "<html><body>502 Bad Gateway</body></html>",
  "{\"count\": 1, \"data\": [",
  "[{\"count\": 1}]",
  "{\"count\": \"1\", \"data\": []}",
  "{\"count\": 1, \"data\": {}}",
  "{\"count\": 1, \"data\": [{\"id\": \"1\", \"email\": \"a@b.c\", \"active\": true}]}",
  "{\"count\": 1, \"data\": [{\"id\": 1, \"email\": 5, \"active\": true}]}",
  "{\"count\": 1, \"data\": [{\"id\": 1, \"email\": \"a@b.c\", \"active\": \"true\"}]}",
  "{\"count\": -4, \"data\": []}",
  "\xff\xfe{}",
};

static void
test_bad_user_pages (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OflPage) page = ofl_parse_user_page (bad_bodies[i], strlen (bad_bodies[i]), &error);

      g_assert_null (page);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
    }
}

static void
test_bad_accounts (void)
{
  const char *bodies[] = { "[]", "{\"id\": 1}", "{\"name\": \"Acme\"}", "{\"id\": {}, \"name\": \"x\"}", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OflAccount) account = ofl_parse_account (bodies[i], strlen (bodies[i]), &error);

      g_assert_null (account);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
    }
}

static void
test_deep_nesting (void)
{
  GString *body = g_string_new ("{\"count\": 0, \"data\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(OflPage) page = NULL;

  for (int i = 0; i < 200000; i++)
    g_string_append_c (body, '[');
  page = ofl_parse_user_page (body->str, body->len, &error);
  g_assert_null (page);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
  g_string_free (body, TRUE);
}

/* Issue 18, item 1: json-glib skips C comments, so brackets hidden in
 * one ("]" closers the scan would count) must not let a deep body through;
 * nor may closing brackets inside a string, nor a deep object. */
static void
test_deep_nesting_disguised (void)
{
  /* Each opens a disguise, holds as many closers as the body has
   * openers, and ends it. */
  const struct { const char *open, *close; } disguises[] = {
    { "/* ", " */ " },
    { "// ", "\n " },
    { "\"", "\", \"data\": " },
  };

  for (guint d = 0; d < G_N_ELEMENTS (disguises); d++)
    {
      GString *body = g_string_new ("{\"count\": 1, \"data\": ");
      g_autoptr(GError) error = NULL;
      g_autoptr(OflPage) page = NULL;

      if (d == 2)
        g_string_assign (body, "{\"count\": 1, \"x\": ");
      g_string_append (body, disguises[d].open);
      for (int i = 0; i < 300000; i++)
        g_string_append_c (body, ']');
      g_string_append (body, disguises[d].close);
      for (int i = 0; i < 300000; i++)
        g_string_append_c (body, '[');
      for (int i = 0; i < 300000; i++)
        g_string_append_c (body, ']');
      g_string_append_c (body, '}');
      page = ofl_parse_user_page (body->str, body->len, &error);
      g_assert_null (page);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
      g_string_free (body, TRUE);
    }

  /* A deep object, and a problem body (parsed the same way). */
  {
    GString *body = g_string_new (NULL);
    g_autoptr(OflProblem) problem = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(OflAccount) account = NULL;

    for (int i = 0; i < 200000; i++)
      g_string_append (body, "{\"a\":");
    account = ofl_parse_account (body->str, body->len, &error);
    g_assert_null (account);
    g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
    problem = ofl_parse_problem (body->str, body->len);
    g_assert_null (problem);
    g_string_free (body, TRUE);
  }
}

/* Brackets and slashes inside strings are data, not structure. */
static void
test_brackets_in_strings (void)
{
  const char *body = "{\"status\": 403, \"title\": \"[[[[ Forbidden // /* ]]]]\", "
                     "\"detail\": \"a \\\" quote then [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
  g_autoptr(OflProblem) problem = ofl_parse_problem (body, strlen (body));

  g_assert_nonnull (problem);
  g_assert_cmpint (problem->status, ==, 403);
  g_assert_true (g_str_has_prefix (problem->detail, "a \" quote"));
}

/* Issue 18, item 11: json-glib reads an integer beyond int64 wrapped
 * (18446744073709551615 as -1), so such a number, or an id that is not a
 * whole number, is an unexpected response, never another id. */
static void
test_integers_beyond_int64 (void)
{
  const char *accounts[] = {
    "{\"id\": 18446744073709551615, \"name\": \"Acme AB\"}",
    "{\"id\": 9223372036854775808, \"name\": \"Acme AB\"}",
    "{\"id\": -9223372036854775809, \"name\": \"Acme AB\"}",
    "{\"id\": 100000000000000000000000000000000000000001, \"name\": \"Acme AB\"}",
    "{\"id\": 1001.0, \"name\": \"Acme AB\"}",
    "{\"id\": 1e3, \"name\": \"Acme AB\"}",
    "{\"id\": \"18446744073709551615\", \"name\": \"Acme AB\"}",
    "{\"id\": \"1001x\", \"name\": \"Acme AB\"}",
    "{\"id\": \"\", \"name\": \"Acme AB\"}",
    "{\"id\": 1001, \"name\": \"Acme AB\", \"other\": 18446744073709551616}",
  };
  const char *pages[] = {
    "{\"count\": 1, \"data\": [{\"id\": 18446744073709551615, \"email\": \"a@example.com\", \"active\": true}]}",
    "{\"count\": 18446744073709551617, \"data\": []}",
  };
  const char *fine = "{\"id\": 9223372036854775807, \"name\": \"18446744073709551615 [\"}";
  const char *string_id = "{\"id\": \"1001\", \"name\": \"Acme AB\"}";
  g_autoptr(OflAccount) account = NULL;
  g_autoptr(OflAccount) from_string = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(OflAccount) bad = ofl_parse_account (accounts[i], strlen (accounts[i]), &bad_error);

      g_test_message ("%s", accounts[i]);
      g_assert_null (bad);
      g_assert_error (bad_error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(OflPage) bad = ofl_parse_user_page (pages[i], strlen (pages[i]), &bad_error);

      g_test_message ("%s", pages[i]);
      g_assert_null (bad);
      g_assert_error (bad_error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
      g_assert_nonnull (strstr (bad_error->message, "too large"));
    }

  /* The largest int64 is an id; digits in a string are text. */
  account = ofl_parse_account (fine, strlen (fine), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->id, ==, "9223372036854775807");
  from_string = ofl_parse_account (string_id, strlen (string_id), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_string->id, ==, "1001");
}

/* Issue 18, item 4: what is kept of a response is bounded. */
static void
test_kept_text_bounded (void)
{
  g_autofree char *long_name = g_strnfill (OFL_API_MAX_TEXT_LENGTH + 1, 'n');
  g_autofree char *longest_name = g_strnfill (OFL_API_MAX_TEXT_LENGTH, 'n');
  g_autofree char *account_body = g_strdup_printf ("{\"id\": 1, \"name\": \"%s\"}", long_name);
  g_autofree char *account_fine = g_strdup_printf ("{\"id\": 1, \"name\": \"%s\"}", longest_name);
  g_autofree char *user_body =
    g_strdup_printf ("{\"count\": 1, \"data\": [{\"id\": 1, \"email\": \"a@example.com\", \"active\": true, \"name\": \"%s\"}]}",
                     long_name);
  g_autofree char *workspace_body =
    g_strdup_printf ("{\"count\": 1, \"data\": [{\"id\": 1, \"name\": \"%s\"}]}", long_name);
  GString *many = g_string_new ("{\"count\": 1, \"data\": [{\"id\": 1, \"name\": \"Sales\", \"_permissions\": {");
  g_autoptr(GError) error = NULL;
  g_autoptr(OflAccount) account = NULL;
  g_autoptr(OflAccount) fine = NULL;
  g_autoptr(OflPage) users = NULL;
  g_autoptr(OflPage) workspaces = NULL;
  g_autoptr(OflPage) permissions = NULL;

  account = ofl_parse_account (account_body, strlen (account_body), &error);
  g_assert_null (account);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
  g_clear_error (&error);
  fine = ofl_parse_account (account_fine, strlen (account_fine), &error);
  g_assert_no_error (error);

  users = ofl_parse_user_page (user_body, strlen (user_body), &error);
  g_assert_null (users);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
  g_clear_error (&error);

  workspaces = ofl_parse_workspace_page (workspace_body, strlen (workspace_body), &error);
  g_assert_null (workspaces);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
  g_clear_error (&error);

  for (guint i = 0; i <= OFL_API_MAX_PERMISSIONS; i++)
    g_string_append_printf (many, "%s\"p%u\": true", i ? ", " : "", i);
  g_string_append (many, "}}]}");
  permissions = ofl_parse_workspace_page (many->str, many->len, &error);
  g_assert_null (permissions);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE);
  g_string_free (many, TRUE);
}

static void
test_problem (void)
{
  const char *body = "{\"status\": 429, \"title\": \"Too Many Requests\", \"detail\": \"Try again in a few minutes.\", "
                     "\"error_code\": 4290000, \"request_id\": \"req-42\"}";
  g_autoptr(OflProblem) problem = ofl_parse_problem (body, strlen (body));
  g_autoptr(OflProblem) none = ofl_parse_problem ("<html/>", 7);

  g_assert_nonnull (problem);
  g_assert_cmpint (problem->status, ==, 429);
  g_assert_cmpint (problem->error_code, ==, 4290000);
  g_assert_cmpstr (problem->request_id, ==, "req-42");
  g_assert_cmpstr (problem->detail, ==, "Try again in a few minutes.");
  g_assert_null (none);
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 12, 0, 0);
  guint seconds = 99;

  g_assert_true (ofl_parse_retry_after ("3", now, &seconds));
  g_assert_cmpuint (seconds, ==, 3);
  g_assert_true (ofl_parse_retry_after (" 120 ", now, &seconds));
  g_assert_cmpuint (seconds, ==, 120);
  g_assert_true (ofl_parse_retry_after ("99999999999999999999", now, &seconds));
  g_assert_cmpuint (seconds, ==, G_MAXUINT);
  g_assert_true (ofl_parse_retry_after ("Sat, 28 Nov 2026 12:00:30 GMT", now, &seconds));
  g_assert_cmpuint (seconds, ==, 30);
  g_assert_true (ofl_parse_retry_after ("Sat, 28 Nov 2026 11:00:00 GMT", now, &seconds));
  g_assert_cmpuint (seconds, ==, 0);
  g_assert_false (ofl_parse_retry_after ("-5", now, &seconds));
  g_assert_false (ofl_parse_retry_after ("soon", now, &seconds));
  g_assert_false (ofl_parse_retry_after ("", now, &seconds));
  g_assert_false (ofl_parse_retry_after ("12abc", now, &seconds));
  g_assert_false (ofl_parse_retry_after (NULL, now, &seconds));
}

static gboolean
soup_is_mapped (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, SOUP_SONAME) != NULL;
}

/* libsoup is opened on first use, not linked (ofl-soup.c): this program
 * links the core, and has not used it yet. Runs first. */
static void
test_soup_on_first_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = NULL;
  const OflSoup *soup;

  g_assert_false (soup_is_mapped ());

  soup = ofl_soup_get (&error);
  g_assert_no_error (error);
  g_assert_nonnull (soup);
  g_assert_true (soup_is_mapped ());
  g_assert_true (ofl_soup_get (NULL) == soup);

  date = soup->date_time_new_from_http_string ("Sun, 06 Nov 1994 08:49:37 GMT");
  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_get_year (date), ==, 1994);
  g_assert_cmpstr (g_quark_to_string (soup->session_error_quark ()), ==, "soup-session-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parsers/soup-on-first-use", test_soup_on_first_use);
  g_test_add_func ("/parsers/account", test_account);
  g_test_add_func ("/parsers/user-page", test_user_page);
  g_test_add_func ("/parsers/workspace-page", test_workspace_page);
  g_test_add_func ("/parsers/bad-user-pages", test_bad_user_pages);
  g_test_add_func ("/parsers/bad-accounts", test_bad_accounts);
  g_test_add_func ("/parsers/deep-nesting", test_deep_nesting);
  g_test_add_func ("/parsers/deep-nesting-disguised", test_deep_nesting_disguised);
  g_test_add_func ("/parsers/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/parsers/problem", test_problem);
  g_test_add_func ("/parsers/integers-beyond-int64", test_integers_beyond_int64);
  g_test_add_func ("/parsers/kept-text-bounded", test_kept_text_bounded);
  g_test_add_func ("/parsers/retry-after", test_retry_after);

  return g_test_run ();
}
