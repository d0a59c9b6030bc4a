/* test-close.c: closing the window while the check runs cancels it,
 * stores nothing, and leaves no critical behind (G_DEBUG=fatal-criticals). */

#include "config.h"

#include "ofl-ui-test.h"

static void
test_close_during_check (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflConnectPage *connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  GtkButton *button = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "connect_button");
  g_autofree char *stored = NULL;
  gint64 clicked;

  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 1500);
  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);

  clicked = g_get_monotonic_time ();
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ofl_ui_test_busy (assistant));
  WAIT_UNTIL (ofl_fake_server_count_in_flight (server) > 0);

  gtk_window_close (GTK_WINDOW (window));

  /* Every request the check made was given up by the app, none answered
   * (the server's answers come from this main loop, 1.5 s late): with no
   * answer the check cannot have gone on to store anything. */
  g_assert_cmpuint (ofl_ui_test_wait_requests_over (server, clicked), ==, 0);

  stored = ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA);
  g_assert_null (stored);
}

static void
test_escape_stops_check (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflConnectPage *connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  GtkButton *button = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "connect_button");
  g_autofree char *stored = NULL;
  gint64 clicked;

  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 1500);
  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);
  clicked = g_get_monotonic_time ();
  g_signal_emit_by_name (button, "clicked");
  WAIT_UNTIL (ofl_fake_server_count_in_flight (server) > 0);

  /* While it runs, the page is held: Back (Escape, Alt+Left, swipe)
   * waits, and Escape stops the check instead. */
  g_assert_false (adw_navigation_page_get_can_pop (ADW_NAVIGATION_PAGE (connect)));
  g_assert_true (ofl_ui_test_press_key (GTK_WIDGET (assistant), GDK_KEY_Escape, 0));
  WAIT_UNTIL (!ofl_ui_test_busy (assistant));
  g_assert_true (adw_navigation_page_get_can_pop (ADW_NAVIGATION_PAGE (connect)));

  /* Still on the Connect page, ready to try again; nothing stored. */
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_CONNECT);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  /* Stopped means given up: no request of the check was answered. */
  g_assert_cmpuint (ofl_ui_test_wait_requests_over (server, clicked), ==, 0);
  stored = ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA);
  g_assert_null (stored);

  ofl_ui_test_close_window (window);
}

static void
list_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_nothing_listed (void)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(GListModel) links = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ofl_store_list_async (store, NULL, list_ready, &result);
  WAIT_UNTIL (result != NULL);
  links = ofl_store_list_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/close/during-check", test_close_during_check);
  g_test_add_func ("/close/nothing-listed", test_nothing_listed);
  g_test_add_func ("/close/escape-stops-check", test_escape_stops_check);

  return g_test_run ();
}
