/* test-escape.c: server text shown with its controls as escapes, the one
 * function the command line, notifications, the log and Copy Details use
 * (issue 18, item 5). */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ofl-error.h"

typedef struct {
  const char *input;
  const char *text;   /* OFL_ESCAPE_TEXT */
} Case;

static const Case cases[] = {
  { "Acme AB", "Acme AB" },
  { "Åre Kommun 東京 🙂", "Åre Kommun 東京 🙂" },
  /* C0: ESC and a title change (OSC 0 ended by BEL), line breaks, tab */
  { "A\x1b]0;owned\x07" "B", "A\\x1b]0;owned\\x07B" },
  { "one\ntwo\r\tthree", "one\\x0atwo\\x0d\\x09three" },
  /* DEL, and C1 as UTF-8: CSI (U+009B) and NEL (U+0085) */
  { "x\x7fy", "x\\x7fy" },
  { "a\xc2\x9b" "2Jb\xc2\x85" "c", "a\\u009b2Jb\\u0085c" },
  /* bidi override, isolates, marks, line and paragraph separators */
  { "\xe2\x80\xae" "cba", "\\u202ecba" },
  { "\xe2\x81\xa6" "x\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c", "\\u2066x\\u2069\\u200f\\u061c" },
  { "p\xe2\x80\xa8q\xe2\x80\xa9r", "p\\u2028q\\u2029r" },
  /* not UTF-8: each stray byte */
  { "bad\xff\xc2", "bad\\xff\\xc2" },
};

static void
test_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = ofl_escape_controls (cases[i].input, OFL_ESCAPE_TEXT);

      g_assert_cmpstr (escaped, ==, cases[i].text);
    }
  g_assert_null (ofl_escape_controls (NULL, OFL_ESCAPE_TEXT));
}

/* In JSON style the escapes are JSON's own: the same values read back. */
static void
test_json (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_autofree char *json = NULL;
      g_autofree char *escaped = NULL;
      g_autoptr(GError) error = NULL;

      /* json-glib keeps strings as they are; invalid UTF-8 cannot be one. */
      if (!g_utf8_validate (cases[i].input, -1, NULL))
        continue;
      node = json_node_init_string (json_node_alloc (), cases[i].input);
      json = json_to_string (node, TRUE);
      escaped = ofl_escape_controls (json, OFL_ESCAPE_JSON);

      for (const char *p = escaped; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_assert_false (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
                          (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029);
        }

      parsed = json_from_string (escaped, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (parsed), ==, cases[i].input);
    }
}

/* Copy Details: every field the server or a file chose is one line. */
static void
test_diagnostics (void)
{
  g_autoptr(GError) error = g_error_new_literal (OFL_ERROR, OFL_ERROR_TOKEN_REJECTED, "Rejected.");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  ofl_error_set_response (error, "req\x1b[2K\nFAKE", "denied\x1b]52;c;eA==\x07\n\xe2\x80\xae" "evil", 0);
  text = ofl_error_format_diagnostics (error, "https://api.example/v1\n\x1b[8m");

  g_assert_nonnull (strstr (text, "Request ID: req\\x1b[2K\\x0aFAKE\n"));
  g_assert_nonnull (strstr (text, "Oneflow said: denied\\x1b]52;c;eA==\\x07\\x0a\\u202eevil\n"));
  g_assert_nonnull (strstr (text, "API URL: https://api.example/v1\\x0a\\x1b[8m\n"));
  g_assert_null (strchr (text, '\x1b'));
  lines = g_strsplit (text, "\n", -1);
  /* Version, API URL, error, request ID, detail, time, and the end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/escape/text", test_text);
  g_test_add_func ("/escape/json", test_json);
  g_test_add_func ("/escape/diagnostics", test_diagnostics);

  return g_test_run ();
}
