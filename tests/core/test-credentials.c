/* test-credentials.c: normalising and validating pasted tokens and emails */

#include "config.h"

#include <string.h>

#include "ofl-credentials.h"
#include "ofl-error.h"

#define GOOD_TOKEN "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"

typedef struct {
  const char *name;
  const char *input;
  const char *expected;       /* NULL: must be refused */
  const char *message_part;   /* the refusal must say this */
} Case;

static const Case token_cases[] = {
  { "plain",             GOOD_TOKEN,                 GOOD_TOKEN, NULL },
  { "pasted-newline",    GOOD_TOKEN "\n",            GOOD_TOKEN, NULL },
  { "crlf-and-spaces",   "  " GOOD_TOKEN " \r\n",    GOOD_TOKEN, NULL },
  { "tab-and-nbsp",      "\t\xc2\xa0" GOOD_TOKEN "\xe2\x80\x8b", GOOD_TOKEN, NULL },
  { "upper-and-hyphens", "ABCDEF-1234-abcd-5678-ABCD-9012-efgh-345", "ABCDEF-1234-abcd-5678-ABCD-9012-efgh-345", NULL },
  { "inner-space",       "acme5b1c2d3e4f50617 8394a5b6c7d8e9f0a1b2", NULL, "space" },
  { "39-chars",          "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b",  NULL, "39 characters" },
  { "41-chars",          GOOD_TOKEN "3",             NULL, "41 characters" },
  { "non-ascii",         "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1bå", NULL, "“å”" },
  { "underscore",        "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1_2", NULL, "“_”" },
  { "empty",             "",                         NULL, "empty" },
  { "only-whitespace",   " \n\t ",                   NULL, "empty" },
  { "invalid-utf8",      "acme\xff",                 NULL, "not text" },
};

static void
test_token (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OflSecret) token = ofl_credentials_normalize_token (c->input, &error);

  if (c->expected != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, c->expected);
    }
  else
    {
      g_assert_null (token);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_MALFORMED_TOKEN);
      g_assert_nonnull (strstr (error->message, c->message_part));
    }
}

static const Case email_cases[] = {
  { "plain",          "anna@example.com",        "anna@example.com", NULL },
  { "mixed-case",     "  Anna.Andersson@Example.COM\n", "anna.andersson@example.com", NULL },
  { "plus",           "anna+oneflow@acme.co.uk", "anna+oneflow@acme.co.uk", NULL },
  { "empty",          "",                        NULL, "Enter the email" },
  { "no-at",          "anna.example.com",        NULL, "needs an “@”" },
  { "no-domain",      "anna@",                   NULL, "after “@”" },
  { "no-dot-domain",  "anna@localhost",          NULL, "after “@”" },
  { "no-local",       "@example.com",            NULL, "before “@”" },
  { "inner-space",    "anna andersson@example.com", NULL, "before “@”" },
  { "double-dot",     "anna..a@example.com",     NULL, "before “@”" },
  { "bad-domain",     "anna@exa_mple.com",       NULL, "after “@”" },
  { "two-ats",        "anna@b@example.com",      NULL, "before “@”" },
};

static void
test_email (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = ofl_credentials_normalize_email (c->input, &error);

  if (c->expected != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (email, ==, c->expected);
    }
  else
    {
      g_assert_null (email);
      g_assert_error (error, OFL_ERROR, OFL_ERROR_MALFORMED_EMAIL);
      g_assert_nonnull (strstr (error->message, c->message_part));
    }
}

static void
test_live_hints (void)
{
  g_autofree char *short_hint = ofl_credentials_describe_token_problem ("acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b");
  g_autofree char *space_hint = ofl_credentials_describe_token_problem ("acme5b1c2d3e4f50617 8394a5b6c7d8e9f0a1b2");
  g_autofree char *good_hint = ofl_credentials_describe_token_problem (GOOD_TOKEN "\n");

  g_assert_cmpstr (short_hint, ==, "39 of 40 characters");
  g_assert_cmpstr (space_hint, ==, "Contains a space");
  g_assert_null (good_hint);
}

static void
test_token_state (void)
{
  glong n = -1;

  g_assert_cmpint (ofl_credentials_check_token ("  \n", &n), ==, OFL_TOKEN_STATE_EMPTY);
  g_assert_cmpint (n, ==, 0);
  /* Short or long, but nothing a token cannot have: still being typed. */
  g_assert_cmpint (ofl_credentials_check_token ("acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b", &n), ==, OFL_TOKEN_STATE_LENGTH);
  g_assert_cmpint (n, ==, 39);
  g_assert_cmpint (ofl_credentials_check_token (GOOD_TOKEN "a", &n), ==, OFL_TOKEN_STATE_LENGTH);
  g_assert_cmpint (n, ==, 41);
  g_assert_cmpint (ofl_credentials_check_token ("acme-", &n), ==, OFL_TOKEN_STATE_LENGTH);
  /* A character no token has, however short. */
  g_assert_cmpint (ofl_credentials_check_token ("ac me", NULL), ==, OFL_TOKEN_STATE_INVALID);
  g_assert_cmpint (ofl_credentials_check_token ("acme_", NULL), ==, OFL_TOKEN_STATE_INVALID);
  g_assert_cmpint (ofl_credentials_check_token ("acm\xc3", NULL), ==, OFL_TOKEN_STATE_INVALID);
  /* Pasted with a line break around it. */
  g_assert_cmpint (ofl_credentials_check_token ("\u00a0" GOOD_TOKEN "\r\n", &n), ==, OFL_TOKEN_STATE_VALID);
  g_assert_cmpint (n, ==, 40);
}

static void
test_email_equal (void)
{
  g_assert_true (ofl_credentials_email_equal ("Anna@Example.com", "anna@example.COM"));
  g_assert_false (ofl_credentials_email_equal ("anna@example.com", "anne@example.com"));
  g_assert_false (ofl_credentials_email_equal ("anna@example.com", NULL));
}

static void
test_mask (void)
{
  g_autofree char *masked = ofl_credentials_mask_token (GOOD_TOKEN);

  g_assert_cmpstr (masked, ==, "•••• a1b2");
  g_assert_null (strstr (masked, "acme"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (token_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/credentials/token/%s", token_cases[i].name);
      g_test_add_data_func (path, &token_cases[i], test_token);
    }
  for (guint i = 0; i < G_N_ELEMENTS (email_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/credentials/email/%s", email_cases[i].name);
      g_test_add_data_func (path, &email_cases[i], test_email);
    }
  g_test_add_func ("/credentials/live-hints", test_live_hints);
  g_test_add_func ("/credentials/token-state", test_token_state);
  g_test_add_func ("/credentials/email-equal", test_email_equal);
  g_test_add_func ("/credentials/mask", test_mask);

  return g_test_run ();
}
