/* test-swedish.c: every page in Swedish at 360 px, from the catalogue
 * built in this tree. For each page it saves a PNG into
 * $builddir/tests/i18n/screenshots/ for a person to look at, and fails when
 *   - a label is cut off with an ellipsis,
 *   - the window (or dialog) needs more than 360 px,
 *   - a label still shows an English string that sv.po translates. */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ofl-enable-page.h"
#include "ofl-link-row.h"
#include "ofl-ui-test.h"

#define WIDTH 360

static OflFakeServer *server;
static char *shot_dir;
static GString *problems;
static guint n_labels;

static void
check_labels (GtkWidget  *widget,
              const char *page)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      GtkLabel *label = GTK_LABEL (widget);
      const char *text = gtk_label_get_label (label);
      const char *translated;

      n_labels++;
      if (*text != '\0' && pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        g_string_append_printf (problems, "  %s: “%s” is cut off (%d px wide)\n",
                                page, gtk_label_get_text (label), gtk_widget_get_width (widget));

      /* Our catalogue has this very string and says something else. */
      translated = g_dgettext (GETTEXT_PACKAGE, text);
      if (*text != '\0' && translated != text && strcmp (translated, text) != 0)
        g_string_append_printf (problems, "  %s: “%s” is shown in English\n", page, text);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_labels (child, page);
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
       const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%d.png", name, WIDTH);
  g_autofree char *path = g_build_filename (shot_dir, file, NULL);
  GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (widget));
  int minimum;

  /* The state is reached: once it is laid out, styled and drawn (no
   * animations here), the picture is what a person would see. */
  ofl_ui_test_wait_settled (widget);
  ofl_ui_test_save_png (widget, path);
  g_test_message ("saved %s", path);

  gtk_widget_measure (toplevel, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > WIDTH)
    g_string_append_printf (problems, "  %s: needs %d px, more than %d\n", name, minimum, WIDTH);
  if (gtk_widget_get_width (toplevel) > WIDTH)
    g_string_append_printf (problems, "  %s: is %d px wide, more than %d\n", name,
                            gtk_widget_get_width (toplevel), WIDTH);

  check_labels (toplevel, name);
}

static void
shoot_dialog (OflWindow  *window,
              const char *name)
{
  AdwAlertDialog *dialog;

  WAIT_UNTIL (ofl_ui_test_find_dialog (window) != NULL);
  dialog = ofl_ui_test_find_dialog (window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  shoot (GTK_WIDGET (dialog), name);
}

static void
fix (OflWindow *window)
{
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT),
                                            OFL_TYPE_CONNECT_PAGE, "fix_button"),
                         "clicked");
}

static void
next_page (OflAssistant *assistant,
           OflPageId     page)
{
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == page);
}

static void
test_every_page (void)
{
  OflWindow *window;
  OflAssistant *assistant;
  GtkWidget *w;
  GtkWidget *row;
  GtkCheckButton *done;

  /* It is Swedish: the catalogue was found. */
  g_assert_cmpstr (_("_Next"), ==, "_Nästa");

  problems = g_string_new (NULL);
  server = ofl_ui_test_start_server (FALSE);

  window = ofl_window_new (GTK_APPLICATION (ofl_ui_test_get_app ()), ofl_application_get_links (ofl_ui_test_get_app ()));
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, 760);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "loading") != 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  w = GTK_WIDGET (window);
  assistant = ofl_ui_test_assistant (window);

  shoot (w, "01-welcome");

  ofl_ui_test_activate (window, "win.add-link");
  shoot (w, "02-enable");
  done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE), OFL_TYPE_ENABLE_PAGE, "done_check");
  gtk_check_button_set_active (done, TRUE);

  next_page (assistant, OFL_PAGE_GENERATE);
  shoot (w, "03-generate");

  next_page (assistant, OFL_PAGE_TOKEN);
  shoot (w, "04-token-empty");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b");
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row"),
                         "activate");
  shoot (w, "04-token-invalid");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2");

  next_page (assistant, OFL_PAGE_EMAIL);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", "anna@");
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row"),
                         "entry-activated");
  g_assert_true (gtk_widget_get_visible (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                            OFL_TYPE_EMAIL_PAGE, "message_label")));
  shoot (w, "05-email-invalid");
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row",
                        OFL_FAKE_EMAIL_ANNA);

  next_page (assistant, OFL_PAGE_CONNECT);
  shoot (w, "06-connect");

  /* A rejected token. */
  ofl_ui_test_connect (window);
  shoot (w, "07-connect-rejected");

  /* A deactivated user. */
  fix (window);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_ACME);
  next_page (assistant, OFL_PAGE_EMAIL);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_BERT);
  next_page (assistant, OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  shoot (w, "07-connect-deactivated");

  fix (window);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", OFL_FAKE_EMAIL_ANNA);
  next_page (assistant, OFL_PAGE_CONNECT);

  /* While it runs. */
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_USERS, 1500);
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_WORKSPACES, 1500);
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_CONNECT), OFL_TYPE_CONNECT_PAGE,
                                            "connect_button"),
                         "clicked");
  /* Token and account are done, users and workspaces still coming. */
  WAIT_UNTIL (n_passed (ofl_ui_test_page (window, OFL_PAGE_CONNECT)) >= 2);
  g_assert_cmpuint (ofl_fake_server_count_in_flight (server), >, 0);
  shoot (w, "08-connect-running");
  ofl_ui_test_activate (assistant, "assistant.stop");
  WAIT_UNTIL (!ofl_ui_test_busy (assistant));
  ofl_fake_server_reset_faults (server);
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 0);

  /* Rate limited: Try Again, and when. */
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_429_RETRY_AFTER, 0);
  ofl_fake_server_set_retry_after (server, "600");
  ofl_ui_test_connect (window);
  shoot (w, "09-connect-rate-limited");
  ofl_fake_server_reset_faults (server);

  /* Success: the confirmation, then the accounts view. */
  ofl_ui_test_connect (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  shoot_dialog (window, "10-account-linked");
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "done");
  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  shoot (w, "11-accounts");

  /* Revoked: the row and the banner say so. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (ofl_link_row_get_link (OFL_LINK_ROW (row))));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  shoot (w, "12-accounts-needs-attention");

  /* Re-link: Generate with its note, then a token of another account. */
  ofl_ui_test_activate (row, "link.relink");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
  shoot (w, "13-relink-start");
  if (ofl_ui_test_current (assistant) < OFL_PAGE_TOKEN)
    next_page (assistant, OFL_PAGE_TOKEN);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_BETA);
  next_page (assistant, OFL_PAGE_EMAIL);
  next_page (assistant, OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  shoot (w, "14-relink-other-account");

  fix (window);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", OFL_FAKE_TOKEN_ACME_NEW);
  next_page (assistant, OFL_PAGE_EMAIL);
  next_page (assistant, OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  shoot (w, "15-relink-done");

  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (row, "link.remove");
  shoot_dialog (window, "16-remove-confirm");
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "remove");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "welcome") == 0);

  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.cancel");
  shoot_dialog (window, "17-discard-confirm");
  ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "discard");

  ofl_ui_test_close_window (window);
  g_clear_object (&server);

  g_test_message ("checked %u labels", n_labels);
  g_assert_cmpuint (n_labels, >, 100);
  if (problems->len > 0)
    g_error ("In Swedish at %d px:\n%s", WIDTH, problems->str);
  g_string_free (problems, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  const char *build_dir = g_getenv ("ONEFLOW_LINK_BUILD_DIR");

  /* The catalogue from this build tree, in Swedish, under a real Swedish
   * locale: glibc 2.41 ignores LANGUAGE under C.UTF-8 as under "C". */
  g_setenv ("LANGUAGE", "sv", TRUE);
  g_setenv ("LC_ALL", "sv_SE.UTF-8", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, OFL_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ofl_ui_test_init (&argc, &argv);
  /* gtk_test_init() sets its own locale; back to Swedish. */
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The sv_SE.UTF-8 locale is missing: generate it (locale-gen) to run this test");
  /* GNOME's own header bar layout (Xvfb has no desktop to say so). */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);

  shot_dir = g_build_filename (build_dir ? build_dir : ".", "tests", "i18n", "screenshots", NULL);
  g_mkdir_with_parents (shot_dir, 0755);

  g_test_add_func ("/swedish/every-page-fits-360", test_every_page);

  return g_test_run ();
}
