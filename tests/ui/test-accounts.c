/* test-accounts.c: the accounts view lists stored links, checks one on
 * request, and removes one only after confirming. */

#include "config.h"

#include "ofl-link-row.h"
#include "ofl-ui-test.h"

static void
test_accounts (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflAccountsView *view;
  GtkWidget *anna_row, *carl_row;
  OflLink *anna;
  AdwAlertDialog *dialog;
  g_autofree char *carl_token = NULL;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_CARL, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);

  window = ofl_ui_test_new_window ();
  g_assert_cmpstr (ofl_window_get_view (window), ==, "accounts");
  view = OFL_ACCOUNTS_VIEW (ofl_window_get_accounts_view (window));

  /* Listing: both, not checked yet. */
  anna_row = ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_ANNA);
  carl_row = ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_CARL);
  g_assert_nonnull (anna_row);
  g_assert_nonnull (carl_row);
  anna = ofl_link_row_get_link (OFL_LINK_ROW (anna_row));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_false (adw_banner_get_revealed (ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "banner")));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna_row)), "Not checked yet"));

  /* Check now: the row shows progress, then the verdict and details. */
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 200);
  ofl_ui_test_activate (anna_row, "link.check");
  g_assert_true (ofl_link_get_busy (anna));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna_row)), "Checking"));
  WAIT_UNTIL (!ofl_link_get_busy (anna));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpstr (ofl_link_get_account_name (anna), ==, OFL_FAKE_ACCOUNT_ACME);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna_row)), OFL_FAKE_ACCOUNT_ACME));
  g_assert_nonnull (ofl_link_get_last_checked (anna));
  g_assert_cmpuint (ofl_link_get_workspaces (anna)->len, >, 0);
  ofl_fake_server_reset_faults (server);

  /* A revoked token makes the link need attention, with the reason. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (anna_row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (anna));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna_row)), "Needs attention"));

  /* …and the banner over the list says so, with its way out. */
  {
    AdwBanner *banner = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "banner");

    g_assert_true (adw_banner_get_revealed (banner));
    g_assert_nonnull (strstr (adw_banner_get_title (banner), OFL_FAKE_EMAIL_ANNA));
  }

  /* Re-link opens the assistant at "Generate the API token" with the
   * email filled in (test-relink follows the whole trip). */
  ofl_ui_test_activate (anna_row, "link.relink");
  g_assert_cmpstr (ofl_window_get_view (window), ==, "assistant");
  g_assert_cmpint (ofl_assistant_get_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_GENERATE);
  g_assert_cmpstr (gtk_editable_get_text (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                             OFL_TYPE_EMAIL_PAGE, "email_row")),
                   ==, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (ofl_ui_test_assistant (window), "assistant.cancel");
  if (ofl_ui_test_find_dialog (window))
    ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "discard");
  WAIT_UNTIL (g_strcmp0 (ofl_window_get_view (window), "accounts") == 0);

  /* Remove asks first; Cancel keeps the link. */
  carl_row = ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_CARL);
  ofl_ui_test_activate (carl_row, "link.remove");
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  ofl_ui_test_respond (dialog, "cancel");
  ofl_ui_test_spin (200);
  g_assert_nonnull (ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_CARL));
  carl_token = ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_CARL);
  g_assert_cmpstr (carl_token, ==, OFL_FAKE_TOKEN_ACME);

  /* Remove, confirmed. */
  ofl_ui_test_activate (carl_row, "link.remove");
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  ofl_ui_test_respond (dialog, "remove");
  WAIT_UNTIL (ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_CARL) == NULL);
  g_assert_null (ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_CARL));

  /* The last one: the empty state (the welcome page) comes back. */
  anna_row = ofl_accounts_view_find_row (view, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (anna_row, "link.remove");
  dialog = ofl_ui_test_find_dialog (window);
  ofl_ui_test_respond (dialog, "remove");
  WAIT_UNTIL (g_strcmp0 (ofl_window_get_view (window), "welcome") == 0);
  g_assert_null (ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA));

  ofl_ui_test_close_window (window);
}

static guint
n_rows (OflAccountsView *view)
{
  GtkWidget *list_box = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "list_box");
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    n += OFL_IS_LINK_ROW (child);

  return n;
}

static gboolean
all_details_shown (OflAccountsView *view)
{
  GtkWidget *list_box = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "list_box");

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    if (OFL_IS_LINK_ROW (child) && !ofl_link_row_get_details_shown (OFL_LINK_ROW (child)))
      return FALSE;

  return TRUE;
}

static GListStore *
new_links (guint n)
{
  GListStore *links = g_list_store_new (OFL_TYPE_LINK);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%02u@acme.example", i);
      g_autoptr(OflLink) link = ofl_link_new (email, OFL_FAKE_ACCOUNT_ACME_ID, "https://api.oneflow.example/v1");

      g_list_store_append (links, link);
    }

  return links;
}

/* Twenty links: the first frame gets a window's worth of rows, the rest
 * follow within a few frames, in order, and links added later get rows
 * too. Looking a row up never waits for them. */
static void
test_rows_fill_in (void)
{
  g_autoptr(GListStore) links = new_links (20);
  g_autoptr(GListStore) more_links = new_links (20);
  g_autoptr(OflLink) late = ofl_link_new ("late@acme.example", OFL_FAKE_ACCOUNT_ACME_ID, "https://api.oneflow.example/v1");
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  OflAccountsView *view = g_object_new (OFL_TYPE_ACCOUNTS_VIEW, NULL);
  GtkWidget *list_box = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "list_box");
  guint i = 0;

  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_set_default_size (window, 640, 680);
  ofl_accounts_view_set_links (view, G_LIST_MODEL (links));

  /* Before any frame: the first rows only. */
  g_assert_cmpuint (n_rows (view), >=, 8);
  g_assert_cmpuint (n_rows (view), <, 20);

  gtk_window_present (window);
  WAIT_UNTIL (n_rows (view) == 20 && all_details_shown (view));

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(OflLink) link = NULL;

      if (!OFL_IS_LINK_ROW (child))
        continue;
      link = g_list_model_get_item (G_LIST_MODEL (links), i++);
      g_assert_true (ofl_link_row_get_link (OFL_LINK_ROW (child)) == link);
    }

  /* Long after the rows' fill-in is over (it stops a frame later). */
  ofl_ui_test_spin (300);
  g_list_store_append (links, late);
  WAIT_UNTIL (n_rows (view) == 21);
  g_assert_nonnull (ofl_accounts_view_find_row (view, "late@acme.example"));

  /* A new list: the last row is there as soon as it is asked for. */
  ofl_accounts_view_set_links (view, G_LIST_MODEL (more_links));
  g_assert_cmpuint (n_rows (view), <, 20);
  g_assert_nonnull (ofl_accounts_view_find_row (view, "user19@acme.example"));
  g_assert_cmpuint (n_rows (view), ==, 20);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/accounts/list-check-remove", test_accounts);
  g_test_add_func ("/accounts/rows-fill-in", test_rows_fill_in);

  return g_test_run ();
}
