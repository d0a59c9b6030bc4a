/* test-no-keyring.c: with no Secret Service on the bus, the app says so
 * plainly at start and at Connect, and stores nothing anywhere else.
 * Runs under ofl-test-env --no-secret-service. */

#include "config.h"

#include <glib/gstdio.h>

#include "ofl-ui-test.h"

static void
test_no_keyring (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window = ofl_ui_test_new_window ();
  OflConnectPage *connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  GtkButton *fix = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "fix_button");
  GtkLabel *title = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "error_title");
  g_autofree char *details = g_build_filename (g_get_user_data_dir (), "oneflow-link", "links.json", NULL);
  const GError *error;

  g_assert_nonnull (server);

  /* No links could be read: the welcome page, not a crash. */
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");

  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_connect (window);

  error = ofl_connect_page_get_error (connect);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_KEYRING);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (gtk_label_get_label (title), ==, "The Keyring Could Not Store the Token");
  g_assert_cmpstr (gtk_button_get_label (fix), ==, "_Try Again");
  g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_CONNECT);

  /* Nothing was written anywhere instead. */
  if (g_file_test (details, G_FILE_TEST_EXISTS))
    {
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (details, &contents, NULL, NULL));
      g_assert_null (strstr (contents, OFL_FAKE_EMAIL_ANNA));
      g_assert_null (strstr (contents, OFL_FAKE_TOKEN_ACME));
    }

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/keyring/none", test_no_keyring);

  return g_test_run ();
}
