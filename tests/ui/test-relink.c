/* test-relink.c: issue 4/7. The background check notices a token that
 * stopped working, the banner and the row say so, and re-linking replaces
 * the secret only with a verified token of the same account; every failure
 * leaves the old secret byte for byte as it was. */

#include "config.h"

#include <string.h>

#include "ofl-link-row.h"
#include "ofl-ui-test.h"

/* As the app saves a link: with its account's name. */
static void
store_link (OflFakeServer *server,
            const char    *email,
            const char    *account_id,
            const char    *token)
{
  ofl_ui_test_store_link (server, email, account_id,
                          g_str_equal (account_id, OFL_FAKE_ACCOUNT_ACME_ID)
                          ? OFL_FAKE_ACCOUNT_ACME : OFL_FAKE_ACCOUNT_BETA,
                          token);
}

static void
remove_all_links (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (ofl_store_get_schema (), NULL, &error, NULL);
  g_assert_no_error (error);
}

/* Every item of our schema, whatever its attributes. */
static guint
count_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (ofl_store_get_schema (), SECRET_SEARCH_ALL, NULL, &error, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* The secret of @email in @account_id, as bytes. */
static GBytes *
secret_bytes (const char *email,
              const char *account_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *data;
  gsize length;

  value = secret_password_lookup_binary_sync (ofl_store_get_schema (), NULL, &error,
                                              "email", email, "account-id", account_id, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  data = secret_value_get (value, &length);

  return g_bytes_new (data, length);
}

static void
assert_secret (const char *email,
               const char *account_id,
               const char *expected)
{
  g_autoptr(GBytes) bytes = secret_bytes (email, account_id);
  g_autoptr(GBytes) wanted = g_bytes_new_static (expected, strlen (expected));

  g_assert_true (g_bytes_equal (bytes, wanted));
}

static OflLink *
row_link (OflWindow  *window,
          const char *email)
{
  OflAccountsView *view = ofl_ui_test_accounts_view (window);
  GtkWidget *row = ofl_ui_test_find_row (view, email);

  g_assert_nonnull (row);
  return ofl_link_row_get_link (OFL_LINK_ROW (row));
}

static const char *
row_status_text (OflWindow  *window,
                 const char *email)
{
  OflAccountsView *view = ofl_ui_test_accounts_view (window);
  GtkWidget *row = ofl_ui_test_find_row (view, email);
  AdwActionRow *status_row = ofl_ui_test_child (row, OFL_TYPE_LINK_ROW, "status_row");

  return adw_action_row_get_subtitle (status_row);
}

static gboolean
banner_shown (OflWindow *window)
{
  OflAccountsView *view = ofl_ui_test_accounts_view (window);

  return adw_banner_get_revealed (ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "banner"));
}

static OflConnectPage *
connect_page (OflWindow *window)
{
  return OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
}

static const char *
email_text (OflWindow *window)
{
  return gtk_editable_get_text (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                   OFL_TYPE_EMAIL_PAGE, "email_row"));
}

/* The re-link banner of the page on screen, when it is revealed. */
static const char *
relink_note (OflWindow *window)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  AdwBanner *banner = ofl_ui_test_child (ofl_assistant_get_page (assistant, ofl_ui_test_current (assistant)),
                                         OFL_TYPE_ASSISTANT_PAGE, "relink_banner");

  return adw_banner_get_revealed (banner) ? adw_banner_get_title (banner) : "";
}

/* A window on the accounts view whose links were checked once. */
static OflWindow *
checked_window (void)
{
  OflWindow *window = ofl_ui_test_new_window ();

  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  ofl_accounts_view_check_all (ofl_ui_test_accounts_view (window), TRUE);
  WAIT_UNTIL (ofl_ui_test_n_busy_links () == 0);

  return window;
}

/* From the generate page: the token, the (filled-in) email, Connect. */
static void
relink_with_token (OflWindow  *window,
                   const char *token)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);

  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_GENERATE);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", token);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  g_assert_cmpstr (email_text (window), ==, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
}

static void
test_revoked (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflAssistant *assistant;
  OflLink *anna;
  AdwBanner *banner;

  remove_all_links ();
  store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);

  /* The start-up check, a moment after the window is on screen. */
  ofl_ui_test_set_check_on_open (TRUE);
  window = ofl_ui_test_new_window ();
  ofl_ui_test_set_check_on_open (FALSE);
  /* A slow keyring (valgrind) may show the welcome page first. */
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  anna = row_link (window, OFL_FAKE_EMAIL_ANNA);
  WAIT_UNTIL (ofl_link_get_status (anna) == OFL_LINK_STATUS_NEEDS_ATTENTION && !ofl_link_get_busy (anna));
  g_assert_cmpstr (ofl_link_get_problem (anna), ==, "token-rejected");
  g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_ANNA), "no longer accepts the token"));

  /* The banner, with the email. */
  g_assert_true (banner_shown (window));
  banner = ofl_ui_test_child (ofl_ui_test_accounts_view (window), OFL_TYPE_ACCOUNTS_VIEW, "banner");
  g_assert_cmpstr (adw_banner_get_title (banner), ==,
                   "The Oneflow link for anna@example.com stopped working.");

  /* Its Re-link: Generate the token, with the reason and the email. */
  g_signal_emit_by_name (banner, "button-clicked");
  assistant = ofl_ui_test_assistant (window);
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_GENERATE);
  g_assert_nonnull (strstr (relink_note (window), "revoked or replaced"));
  g_assert_nonnull (strstr (relink_note (window), OFL_FAKE_EMAIL_ANNA));
  g_assert_cmpstr (email_text (window), ==, OFL_FAKE_EMAIL_ANNA);

  /* The Custom Integration page is one Back away, and Next returns. */
  ofl_ui_test_go_back (window);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_ENABLE);
  g_assert_true (ofl_ui_test_next_enabled (window));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_GENERATE);

  /* The new token: OK again, the banner goes, one item, the new secret. */
  relink_with_token (window, OFL_FAKE_TOKEN_ACME_NEW);
  ofl_ui_test_connect (window);
  g_assert_null (ofl_connect_page_get_error (connect_page (window)));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  /* The accounts are read again from the store after the re-link: the
   * row may show the link as it was for the moment that takes. */
  WAIT_UNTIL (ofl_link_get_status (row_link (window, OFL_FAKE_EMAIL_ANNA)) == OFL_LINK_STATUS_OK);
  anna = row_link (window, OFL_FAKE_EMAIL_ANNA);
  g_assert_false (banner_shown (window));
  g_assert_null (ofl_ui_test_find_dialog (window));
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME_NEW);

  ofl_ui_test_close_window (window);
}

/* 503, 429 and offline during the background check: no verdict, so the
 * status stays, and the row says when the link last worked. */
static void
test_temporary (void)
{
  OflFakeServer *server = ofl_ui_test_start_server (FALSE);
  const OflFakeFault faults[] = { OFL_FAKE_FAULT_503, OFL_FAKE_FAULT_429 };
  const char *problems[] = { "unavailable", "rate-limited" };
  OflWindow *window;
  OflLink *anna, *carl;

  remove_all_links ();
  store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  store_link (server, OFL_FAKE_EMAIL_CARL, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_set_user_active (server, OFL_FAKE_EMAIL_CARL, FALSE);

  window = checked_window ();
  anna = row_link (window, OFL_FAKE_EMAIL_ANNA);
  carl = row_link (window, OFL_FAKE_EMAIL_CARL);
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpint (ofl_link_get_status (carl), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (ofl_link_get_problem (carl), ==, "user-deactivated");
  g_assert_true (banner_shown (window));

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, faults[i], 0);
      ofl_accounts_view_check_all (ofl_ui_test_accounts_view (window), TRUE);
      WAIT_UNTIL (ofl_ui_test_n_busy_links () == 0);
      g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_OK);
      g_assert_cmpstr (ofl_link_get_problem (anna), ==, problems[i]);
      g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_ANNA), "Last worked just now."));
      g_assert_cmpint (ofl_link_get_status (carl), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
      g_assert_cmpstr (ofl_link_get_problem (carl), ==, "user-deactivated");
      ofl_fake_server_reset_faults (server);
    }
  g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_ANNA), "Oneflow asked to wait"));

  /* Offline: the server is gone. */
  g_clear_object (&server);
  ofl_accounts_view_check_all (ofl_ui_test_accounts_view (window), TRUE);
  WAIT_UNTIL (ofl_ui_test_n_busy_links () == 0);
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpstr (ofl_link_get_problem (anna), ==, "network");
  g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_ANNA), "could not reach Oneflow"));
  g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_ANNA), "Last worked"));
  g_assert_cmpint (ofl_link_get_status (carl), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_true (banner_shown (window));

  ofl_ui_test_close_window (window);
}

/* A window re-linking anna (Acme, old token revoked) at Generate. */
static OflWindow *
start_relink (OflFakeServer *server)
{
  OflWindow *window;

  remove_all_links ();
  ofl_fake_server_reset_faults (server);
  store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);

  window = checked_window ();
  g_assert_cmpint (ofl_link_get_status (row_link (window, OFL_FAKE_EMAIL_ANNA)), ==,
                   OFL_LINK_STATUS_NEEDS_ATTENTION);
  ofl_window_relink (window, OFL_FAKE_EMAIL_ANNA);
  g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_GENERATE);

  return window;
}

static void
assert_failure (OflWindow  *window,
                OflErrorCode code,
                const char *title,
                const char *message)
{
  OflConnectPage *page = connect_page (window);
  const GError *error = ofl_connect_page_get_error (page);
  GtkLabel *title_label = ofl_ui_test_child (page, OFL_TYPE_CONNECT_PAGE, "error_title");
  GtkLabel *error_label = ofl_ui_test_child (page, OFL_TYPE_CONNECT_PAGE, "error_label");

  g_assert_error ((GError *) error, OFL_ERROR, (gint) code);
  g_assert_cmpstr (gtk_label_get_label (title_label), ==, title);
  if (message != NULL && !ofl_ui_test_label_contains (error_label, message))
    g_error ("“%s” does not say “%s”", gtk_label_get_label (error_label), message);
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
}

static void
test_other_account (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflConnectPage *page;
  GtkWidget *separate;

  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  window = start_relink (server);

  /* anna is a user of Beta Oy too: the token verifies, but for Beta. */
  relink_with_token (window, OFL_FAKE_TOKEN_BETA);
  ofl_ui_test_connect (window);
  assert_failure (window, OFL_ERROR_OTHER_ACCOUNT, "The Token Belongs to Another Account",
                  "This token belongs to Beta Oy, but this link is for Acme AB");
  page = connect_page (window);
  separate = ofl_ui_test_child (page, OFL_TYPE_CONNECT_PAGE, "separate_button");
  g_assert_true (gtk_widget_get_visible (separate));

  /* Adding it separately keeps Acme's item and adds Beta's. */
  g_signal_emit_by_name (separate, "clicked");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
  g_assert_cmpuint (count_items (), ==, 2);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_BETA_ID, OFL_FAKE_TOKEN_BETA);
  /* A new link: the "Account Linked" confirmation. */
  g_assert_nonnull (ofl_ui_test_find_dialog (window));

  ofl_ui_test_close_window (window);
}

static void
test_malformed (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflAssistant *assistant;
  OflAssistantPage *token_page;
  GtkLabel *message;

  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  window = start_relink (server);
  assistant = ofl_ui_test_assistant (window);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);

  /* One character short: nothing is sent, Next stays off. */
  token_page = ofl_ui_test_page (window, OFL_PAGE_TOKEN);
  ofl_ui_test_set_text (token_page, OFL_TYPE_TOKEN_PAGE, "token_row", "acme9f8e7d6c5b4a39281706f5e4d3c2b1a09f8");
  message = ofl_ui_test_child (token_page, OFL_TYPE_TOKEN_PAGE, "message_label");
  g_assert_false (ofl_ui_test_next_enabled (window));
  g_assert_true (ofl_ui_test_label_contains (message, "39 of 40"));
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);

  ofl_ui_test_close_window (window);
}

static void
test_rejected (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;

  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  window = start_relink (server);

  relink_with_token (window, OFL_FAKE_TOKEN_ACME_NEW);
  ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, OFL_FAKE_FAULT_401, 0);
  ofl_ui_test_connect (window);
  assert_failure (window, OFL_ERROR_TOKEN_REJECTED, "Oneflow Did Not Accept the Token", NULL);

  ofl_ui_test_close_window (window);
}

static void
test_closed_during_check (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  GtkButton *button;
  gint64 clicked;

  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  window = start_relink (server);

  relink_with_token (window, OFL_FAKE_TOKEN_ACME_NEW);
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 1500);
  button = ofl_ui_test_child (connect_page (window), OFL_TYPE_CONNECT_PAGE, "connect_button");
  clicked = g_get_monotonic_time ();
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ofl_ui_test_busy (ofl_ui_test_assistant (window)));
  WAIT_UNTIL (ofl_fake_server_count_in_flight (server) > 0);
  ofl_ui_test_close_window (window);

  /* No request of the check got its answer (they come 1.5 s late, from
   * this main loop), so nothing can have been replaced. */
  g_assert_cmpuint (ofl_ui_test_wait_requests_over (server, clicked), ==, 0);
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_reset_faults (server);
}

/* A deactivated user: the repair starts at the email page with the stored
 * token, and another user of the same account replaces the link. */
static void
test_deactivated (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflAssistant *assistant;

  remove_all_links ();
  store_link (server, OFL_FAKE_EMAIL_CARL, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_set_user_active (server, OFL_FAKE_EMAIL_CARL, FALSE);
  window = checked_window ();
  g_assert_cmpstr (ofl_link_get_problem (row_link (window, OFL_FAKE_EMAIL_CARL)), ==, "user-deactivated");
  g_assert_nonnull (strstr (row_status_text (window, OFL_FAKE_EMAIL_CARL), "deactivated"));

  ofl_window_relink (window, OFL_FAKE_EMAIL_CARL);
  assistant = ofl_ui_test_assistant (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_EMAIL);
  g_assert_nonnull (strstr (relink_note (window), "deactivated"));
  g_assert_cmpstr (email_text (window), ==, OFL_FAKE_EMAIL_CARL);

  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row",
                        OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  g_assert_null (ofl_connect_page_get_error (connect_page (window)));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0 &&
              ofl_ui_test_find_row (ofl_ui_test_accounts_view (window),
                                          OFL_FAKE_EMAIL_CARL) == NULL);

  /* The old user's item went only after the new one was stored. */
  g_assert_cmpuint (count_items (), ==, 1);
  assert_secret (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_TOKEN_ACME);
  g_assert_false (banner_shown (window));

  ofl_ui_test_close_window (window);
}

/* The keyring fails at the very last step (a locked keyring whose unlock
 * prompt cannot be shown): the old item stays as it was. Last: it leaves
 * the keyring locked. */
static void
test_keyring_fails (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_dir = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  OflWindow *window;
  OflStore *store;
  GList *collections;

  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  window = start_relink (server);
  relink_with_token (window, OFL_FAKE_TOKEN_ACME_NEW);

  /* The keyring's files, byte for byte, before. */
  dir = g_dir_open (keyring_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (keyring_dir, name, NULL);
      char *contents;
      gsize length;

      if (g_file_get_contents (path, &contents, &length, NULL))
        g_hash_table_insert (before, g_strdup (name), g_bytes_new_take (contents, length));
    }
  g_assert_cmpuint (g_hash_table_size (before), >, 0);

  /* Nobody answers the unlock prompt: the names of the prompters are
   * ours, with nothing behind them, so the prompt fails at once. */
  {
    g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
    const char *prompters[] = { "org.gnome.keyring.SystemPrompter", "org.gnome.keyring.PrivatePrompter" };

    for (guint i = 0; i < G_N_ELEMENTS (prompters); i++)
      {
        g_autoptr(GVariant) reply = NULL;

        reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "RequestName",
                                             g_variant_new ("(su)", prompters[i], 4),
                                             G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
        g_assert_no_error (error);
      }
  }

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collections = secret_service_get_collections (service);
  secret_service_lock_sync (service, collections, NULL, NULL, &error);
  g_list_free_full (collections, g_object_unref);
  g_assert_no_error (error);

  /* The app's one store, for this test only. */
  store = ofl_links_get_store (ofl_application_get_links (ofl_ui_test_get_app ()));
  ofl_store_set_timeout (store, 3);
  ofl_ui_test_connect (window);

  {
    OflConnectPage *page = connect_page (window);
    GtkLabel *title_label = ofl_ui_test_child (page, OFL_TYPE_CONNECT_PAGE, "error_title");

    g_assert_error ((GError *) ofl_connect_page_get_error (page), OFL_ERROR, OFL_ERROR_KEYRING);
    g_assert_cmpstr (gtk_label_get_label (title_label), ==, "The Keyring Could Not Store the Token");
  }

  /* Nothing was written to the keyring. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, before);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autofree char *path = g_build_filename (keyring_dir, key, NULL);
        char *contents;
        gsize length;
        g_autoptr(GBytes) after = NULL;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        after = g_bytes_new_take (contents, length);
        g_assert_true (g_bytes_equal (after, value));
      }
  }

  /* The item is still there (attributes stay readable when locked). */
  g_assert_cmpuint (count_items (), ==, 1);

  ofl_ui_test_close_window (window);
  ofl_store_set_timeout (store, 60);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/relink/revoked", test_revoked);
  g_test_add_func ("/relink/temporary-failures", test_temporary);
  g_test_add_func ("/relink/other-account", test_other_account);
  g_test_add_func ("/relink/malformed-token", test_malformed);
  g_test_add_func ("/relink/rejected-token", test_rejected);
  g_test_add_func ("/relink/closed-during-check", test_closed_during_check);
  g_test_add_func ("/relink/deactivated-user", test_deactivated);
  g_test_add_func ("/relink/keyring-fails", test_keyring_fails);

  return g_test_run ();
}
