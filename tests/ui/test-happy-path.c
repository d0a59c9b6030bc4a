/* test-happy-path.c: from the welcome page to a verified link in the
 * keyring and its row in the accounts view, through the widgets' own
 * actions and signals. */

#include "config.h"

#include "ofl-enable-page.h"
#include "ofl-link-row.h"
#include "ofl-ui-test.h"

static OflFakeServer *server;

static void
test_happy_path (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflConnectPage *connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  GtkWidget *welcome = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "welcome_page");
  GtkButton *start = ofl_ui_test_child (welcome, G_OBJECT_TYPE (welcome), "start_button");
  GtkCheckButton *done;
  AdwAlertDialog *dialog;
  g_autofree char *stored = NULL;
  GtkWidget *row;
  OflAccountsView *view;

  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  g_assert_null (ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA));

  /* Welcome → Start. */
  g_signal_emit_by_name (start, "clicked");
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");

  /* 1: enable the Custom Integration. */
  done = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE), OFL_TYPE_ENABLE_PAGE, "done_check");
  gtk_widget_activate (GTK_WIDGET (done));
  g_assert_true (gtk_check_button_get_active (done));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);

  /* 2: generate. */
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);

  /* 2: the token, pasted with a line break; Enter in the field is Next. */
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        OFL_FAKE_TOKEN_ACME "\n");
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row"),
                         "activate");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);

  /* 3: the email. */
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row",
                        OFL_FAKE_EMAIL_ANNA);
  g_signal_emit_by_name (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row"),
                         "entry-activated");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);

  /* 4: connect. */
  ofl_ui_test_connect (window);
  g_assert_null (ofl_connect_page_get_error (connect));

  /* The confirmation, then the accounts view with the new link. */
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Account Linked");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), OFL_FAKE_ACCOUNT_ACME));
  ofl_ui_test_respond (dialog, "done");

  view = ofl_ui_test_accounts_view (window);
  row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_ANNA);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "ofl-highlight"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), OFL_FAKE_ACCOUNT_ACME));

  /* In the keyring, under the documented attributes. */
  stored = ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA);
  g_assert_cmpstr (stored, ==, OFL_FAKE_TOKEN_ACME);

  /* Nothing typed is left in the assistant. */
  g_assert_cmpstr (ofl_token_page_get_text (OFL_TOKEN_PAGE (ofl_ui_test_page (window, OFL_PAGE_TOKEN))), ==, "");

  ofl_ui_test_close_window (window);
}

/* Issue 18, item 4: a cap on what is kept is said in the confirmation,
 * not applied silently. Oneflow lists 755,000 workspaces for the user;
 * 1,000 are kept. */
static void
test_workspaces_capped (void)
{
  OflWindow *window = ofl_ui_test_new_window ();
  OflAccountsView *view;
  AdwAlertDialog *dialog;
  GtkWidget *row;

  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_WORKSPACES, OFL_FAKE_FAULT_MANY_PAGES, 0);
  ofl_ui_test_fill (window, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_CARL);
  ofl_ui_test_connect (window);
  g_assert_no_error ((GError *) ofl_connect_page_get_error (OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT))));
  ofl_fake_server_reset_faults (server);

  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0 &&
              ofl_ui_test_find_dialog (window) != NULL);
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Account Linked");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), OFL_FAKE_EMAIL_CARL " is now linked"));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog),
                            "Oneflow lists 755000 workspaces for this user; only the first 1000 are kept and shown."));
  ofl_ui_test_respond (dialog, "done");

  view = ofl_ui_test_accounts_view (window);
  row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_CARL);
  g_assert_nonnull (row);
  g_assert_cmpuint (ofl_link_get_workspaces (ofl_link_row_get_link (OFL_LINK_ROW (row)))->len, ==, 1000);

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ofl_ui_test_init (&argc, &argv);
  server = ofl_ui_test_start_server (FALSE);

  g_test_add_func ("/assistant/happy-path", test_happy_path);
  g_test_add_func ("/assistant/workspaces-capped", test_workspaces_capped);

  status = g_test_run ();
  g_clear_object (&server);
  return status;
}
