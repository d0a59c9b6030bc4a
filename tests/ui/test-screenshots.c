/* test-screenshots.c: a PNG of every page, light and dark, at 360 and
 * 640 px (the default size) wide, into $builddir/tests/ui/screenshots/ for a person to look at. */

#include "config.h"

#include <glib/gstdio.h>

#include "ofl-enable-page.h"
#include "ofl-link-row.h"
#include "ofl-ui-test.h"

static OflFakeServer *server;
static char *shot_dir;

/* Whether a toast is on screen in @widget. */
static gboolean
showing_toast (GtkWidget *widget)
{
  if (gtk_widget_get_mapped (widget) && g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (showing_toast (child))
      return TRUE;

  return FALSE;
}

/* How many of the Connect page's checks show as passed. */
static guint
n_passed (gpointer widget)
{
  guint n = gtk_widget_get_mapped (widget) && gtk_widget_has_css_class (widget, "success");

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += n_passed (child);

  return n;
}

static void
shoot (GtkWidget  *widget,
       const char *name,
       int         width,
       gboolean    dark)
{
  g_autofree char *file = g_strdup_printf ("%s-%d-%s.png", name, width, dark ? "dark" : "light");
  g_autofree char *path = g_build_filename (shot_dir, file, NULL);

  /* The state is reached: once it is laid out, styled and drawn (no
   * animations here), the picture is what a person would see. */
  ofl_ui_test_wait_settled (widget);
  ofl_ui_test_save_png (widget, path);
  g_test_message ("saved %s", path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
shoot_dialog (OflWindow  *window,
              const char *name,
              int         width,
              gboolean    dark)
{
  AdwDialog *dialog;

  /* The dialog over its window, as a person sees it. */
  WAIT_UNTIL ((dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))) != NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  shoot (GTK_WIDGET (window), name, width, dark);
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static void
shoot_toplevel (GType       type,
                const char *name,
                int         width,
                gboolean    dark)
{
  GtkWindow *toplevel;

  WAIT_UNTIL ((toplevel = find_toplevel (type)) != NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (toplevel)));
  shoot (GTK_WIDGET (toplevel), name, width, dark);
  gtk_window_destroy (toplevel);
}

static void
run (int      width,
     gboolean dark)
{
  OflWindow *window;
  OflAssistant *assistant;
  GtkWidget *w;
  GtkWidget *row;
  GtkCheckButton *done;
  AdwAlertDialog *dialog;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* A fresh fixture for each run: one of them revokes a token. */
  g_clear_object (&server);
  server = ofl_ui_test_start_server (FALSE);

  window = ofl_window_new (GTK_APPLICATION (ofl_ui_test_get_app ()), ofl_application_get_links (ofl_ui_test_get_app ()));
  /* The window's own default height, at 360 px and at its default width. */
  gtk_window_set_default_size (GTK_WINDOW (window), width, 680);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "loading") != 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  w = GTK_WIDGET (window);
  assistant = ofl_ui_test_assistant (window);

  shoot (w, "01-welcome", width, dark);

  ofl_ui_test_activate (window, "win.add-link");
  shoot (w, "02-enable", width, dark);
  done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE), OFL_TYPE_ENABLE_PAGE, "done_check");
  gtk_check_button_set_active (done, TRUE);
  shoot (w, "02-enable-done", width, dark);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);
  shoot (w, "03-generate", width, dark);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  shoot (w, "04-token-empty", width, dark);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b");
  /* Still being typed: a neutral count. Enter: what is wrong, in red. */
  shoot (w, "04-token-typing", width, dark);
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row"),
                         "activate");
  shoot (w, "04-token-invalid", width, dark);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2");
  shoot (w, "04-token-valid", width, dark);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", "anna@");
  shoot (w, "05-email-typing", width, dark);
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row"),
                         "entry-activated");
  g_assert_true (gtk_widget_get_visible (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                            OFL_TYPE_EMAIL_PAGE, "message_label")));
  shoot (w, "05-email-invalid", width, dark);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row",
                        OFL_FAKE_EMAIL_ANNA);
  shoot (w, "05-email", width, dark);

  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  shoot (w, "06-connect", width, dark);

  /* A rejected token: the failed line, the fix and Copy Details. */
  ofl_ui_test_connect (window);
  shoot (w, "07-connect-rejected", width, dark);

  /* Fix it: back to the token page, the right token this time; first an
   * unknown email, to see that failure too. */
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT), OFL_TYPE_CONNECT_PAGE, "fix_button"),
                         "clicked");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_BERT);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  shoot (w, "07-connect-deactivated", width, dark);

  /* Its fix: the email page; an active user this time. */
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT), OFL_TYPE_CONNECT_PAGE, "fix_button"),
                         "clicked");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_EMAIL);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);

  /* While it runs: some lines done, some waiting, Cancel shown. */
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_USERS, 1500);
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_WORKSPACES, 1500);
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT), OFL_TYPE_CONNECT_PAGE, "connect_button"),
                         "clicked");
  /* Token and account are done, users and workspaces still coming. */
  WAIT_UNTIL (n_passed (ofl_ui_test_page (window, OFL_PAGE_CONNECT)) >= 2);
  g_assert_cmpuint (ofl_fake_server_count_in_flight (server), >, 0);
  shoot (w, "08-connect-running", width, dark);

  /* A temporary failure: Try Again, and when. */
  ofl_ui_test_activate (assistant, "assistant.stop");
  WAIT_UNTIL (!ofl_ui_test_busy (assistant));
  ofl_fake_server_reset_faults (server);
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_429_RETRY_AFTER, 0);
  ofl_fake_server_set_retry_after (server, "600");
  ofl_ui_test_connect (window);
  shoot (w, "09-connect-rate-limited", width, dark);
  ofl_fake_server_reset_faults (server);

  /* Success: the confirmation over the accounts view. */
  ofl_ui_test_connect (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  shoot_dialog (window, "10-account-linked", width, dark);
  dialog = ofl_ui_test_find_dialog (window);
  ofl_ui_test_respond (dialog, "done");
  shoot (w, "11-accounts", width, dark);

  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  shoot (w, "12-accounts-collapsed", width, dark);

  /* The token revoked in Oneflow: the check says so, Re-link is offered. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (ofl_link_row_get_link (OFL_LINK_ROW (row))));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  shoot (w, "12-accounts-needs-attention", width, dark);

  /* Re-linking (4/7): Generate, with the note that says why. */
  ofl_ui_test_activate (row, "link.relink");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_GENERATE);
  shoot (w, "17-relink-generate", width, dark);

  /* A token of another account: said by name, a separate link offered. */
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_BETA);
  shoot (w, "17-relink-token", width, dark);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  shoot (w, "18-relink-other-account", width, dark);

  /* The right token: back on the accounts view, OK, a toast. */
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT), OFL_TYPE_CONNECT_PAGE, "fix_button"),
                         "clicked");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_ACME_NEW);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  shoot (w, "19-relink-done", width, dark);

  /* Oneflow unavailable at the next check: still OK, and since when. */
  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_503, 0);
  ofl_ui_test_activate (row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (ofl_link_row_get_link (OFL_LINK_ROW (row))));
  ofl_fake_server_reset_faults (server);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  /* The row, not the check's toast over it: the toast times out. */
  WAIT_UNTIL (!showing_toast (w));
  shoot (w, "20-accounts-temporary", width, dark);

  ofl_ui_test_activate (row, "link.remove");
  shoot_dialog (window, "13-remove-confirm", width, dark);
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "remove");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "welcome") == 0);

  /* Cancel with typed input asks first. */
  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.cancel");
  shoot_dialog (window, "14-discard-confirm", width, dark);
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "discard");

  /* About and keyboard shortcuts. */
  g_action_group_activate_action (G_ACTION_GROUP (ofl_ui_test_get_app ()), "about", NULL);
  shoot_dialog (window, "15-about", width, dark);
  adw_dialog_force_close (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  ofl_ui_test_activate (window, "win.show-help-overlay");
  if (adw_get_minor_version () >= 8)
    {
      shoot_dialog (window, "16-shortcuts", width, dark);
      adw_dialog_force_close (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
    }
  else
    shoot_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, "16-shortcuts", width, dark);

  ofl_ui_test_close_window (window);
}

static void
test_light_360 (void) { run (360, FALSE); }
static void
test_dark_360 (void) { run (360, TRUE); }
static void
test_light_640 (void) { run (640, FALSE); }
static void
test_dark_640 (void) { run (640, TRUE); }

int
main (int   argc,
      char *argv[])
{
  const char *build_dir;
  int status;

  ofl_ui_test_init (&argc, &argv);
  /* GNOME's own header bar layout (Xvfb has no desktop to say so). */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);

  build_dir = g_getenv ("ONEFLOW_LINK_BUILD_DIR");
  shot_dir = g_build_filename (build_dir ? build_dir : ".", "tests", "ui", "screenshots", NULL);
  g_mkdir_with_parents (shot_dir, 0755);

  g_test_add_func ("/screenshots/light-360", test_light_360);
  g_test_add_func ("/screenshots/dark-360", test_dark_360);
  g_test_add_func ("/screenshots/light-640", test_light_640);
  g_test_add_func ("/screenshots/dark-640", test_dark_640);

  status = g_test_run ();
  g_clear_object (&server);
  g_free (shot_dir);

  return status;
}
