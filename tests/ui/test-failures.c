/* test-failures.c: each failure shows its message in plain words, and its
 * button goes to the page that fixes it; nothing is stored. */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "ofl-ui-test.h"

#define UNKNOWN_TOKEN "zzzz5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"

static OflFakeServer *server;

typedef struct {
  const char   *token;
  const char   *email;
  OflFakeFault  fault;
  const char   *retry_after;
  gboolean      tls;
  guint         timeout;
  OflErrorCode  code;
  OflPageId     fix_page;       /* OFL_PAGE_CONNECT: "Try Again" */
  const char   *fix_label;
  const char   *in_message;     /* the error or a row says this */
  const char   *not_in_message; /* Oneflow's raw words: never on screen */
  const char   *in_details;     /* Copy Details says this */
  const char   *title;          /* the error's heading, if checked */
  gboolean      details_blocked; /* links.json cannot be written */
} Case;

static gboolean
page_mentions (OflConnectPage *page,
               const char     *needle)
{
  GtkLabel *label = ofl_ui_test_child (page, OFL_TYPE_CONNECT_PAGE, "error_label");
  const GError *error = ofl_connect_page_get_error (page);

  if (ofl_ui_test_label_contains (label, needle))
    return TRUE;

  /* Or the failed line of the checklist says it. */
  return error && strstr (error->message, needle) != NULL;
}

/* Whether @text is on screen in a row's subtitle or a label under @widget. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), text) == 0)
    return TRUE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(OflFakeServer) tls_server = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("org.example.OneflowLink");
  OflWindow *window;
  OflAssistant *assistant;
  OflConnectPage *connect;
  const GError *error;
  GtkButton *fix;
  GtkButton *copy;
  GtkWidget *error_box;
  g_autofree char *stored = NULL;
  g_autofree char *clipboard = NULL;
  g_autofree char *reason_text = NULL;
  g_autofree char *details_dir = g_build_filename (g_get_user_data_dir (), "oneflow-link", NULL);
  g_autofree char *details_aside = g_strconcat (details_dir, ".aside", NULL);

  ofl_fake_server_reset_faults (server);
  g_settings_set_uint (settings, "request-timeout", c->timeout ? c->timeout : 20);

  if (c->tls)
    tls_server = ofl_ui_test_start_server (TRUE);
  else
    g_setenv ("ONEFLOW_LINK_API_URL", ofl_fake_server_get_url (server), TRUE);

  if (c->fault != OFL_FAKE_FAULT_NONE)
    ofl_fake_server_set_fault (server, OFL_FAKE_ENDPOINT_ANY, c->fault, 0);
  if (c->retry_after)
    ofl_fake_server_set_retry_after (server, c->retry_after);

  window = ofl_ui_test_new_window ();
  assistant = ofl_ui_test_assistant (window);
  connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  fix = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "fix_button");
  copy = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "copy_button");
  error_box = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "error_box");

  ofl_ui_test_fill (window, c->token ? c->token : OFL_FAKE_TOKEN_ACME,
                    c->email ? c->email : OFL_FAKE_EMAIL_ANNA);
  if (c->details_blocked)
    {
      /* A file where the details folder belongs stops a write as a full
       * disk would, even for root. */
      g_assert_true (g_rename (details_dir, details_aside) == 0 || errno == ENOENT);
      g_assert_true (g_file_set_contents (details_dir, "", 0, NULL));
    }
  ofl_ui_test_connect (window);

  error = ofl_connect_page_get_error (connect);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", ofl_error_get_nick (error), error->message);
  g_assert_error (error, OFL_ERROR, (int) c->code);
  g_assert_true (gtk_widget_get_visible (error_box));
  /* The reason, in Oneflow Link's own words, is on screen. */
  g_assert_true (shows_text (GTK_WIDGET (connect), error->message));
  g_assert_cmpstr (gtk_button_get_label (fix), ==, c->fix_label);
  if (c->title)
    g_assert_cmpstr (gtk_label_get_label (ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "error_title")), ==, c->title);
  if (c->in_message)
    g_assert_true (page_mentions (connect, c->in_message));
  if (c->not_in_message)
    {
      g_assert_false (page_mentions (connect, c->not_in_message));
      g_assert_false (shows_text (GTK_WIDGET (connect), c->not_in_message));
    }

  /* The failure leads the page: the first thing on it, above the fold,
   * with its fixing button. */
  g_assert_true (gtk_widget_get_prev_sibling (error_box) == NULL);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fix)));
  {
    GtkWidget *viewport = gtk_widget_get_ancestor (error_box, GTK_TYPE_SCROLLED_WINDOW);
    graphene_rect_t bounds;

    WAIT_UNTIL (gtk_widget_compute_bounds (GTK_WIDGET (fix), viewport, &bounds) &&
                bounds.origin.y >= 0 &&
                bounds.origin.y + bounds.size.height <= gtk_widget_get_height (viewport));
  }
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_CONNECT);

  /* Copy Details: a report for IT, never the token. */
  g_signal_emit_by_name (copy, "clicked");
  {
    GdkClipboard *cb = gtk_widget_get_clipboard (GTK_WIDGET (window));
    const GValue *value;

    WAIT_UNTIL (gdk_clipboard_get_content (cb) != NULL);
    value = NULL;
    {
      GValue v = G_VALUE_INIT;
      g_value_init (&v, G_TYPE_STRING);
      g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (cb), &v, NULL));
      clipboard = g_value_dup_string (&v);
      g_value_unset (&v);
    }
    (void) value;
    g_assert_nonnull (strstr (clipboard, ofl_error_get_nick (error)));
    if (c->in_details)
      g_assert_nonnull (strstr (clipboard, c->in_details));
    g_assert_null (strstr (clipboard, c->token ? c->token : OFL_FAKE_TOKEN_ACME));
  }

  /* Nothing is stored after a failure. */
  stored = ofl_ui_test_keyring_lookup (c->email ? c->email : OFL_FAKE_EMAIL_ANNA);
  g_assert_null (stored);

  /* The fix button goes where the fix is. */
  ofl_fake_server_reset_faults (server);
  if (c->details_blocked)
    {
      g_assert_no_errno (g_unlink (details_dir));
      g_rename (details_aside, details_dir);
    }
  /* Leaving the page forgets the error: keep its words. */
  reason_text = g_strdup (error->message);
  error = NULL;
  g_signal_emit_by_name (fix, "clicked");
  if (c->fix_page == OFL_PAGE_CONNECT)
    {
      /* Try Again runs the check again, here with the fault gone. */
      g_assert_true (ofl_ui_test_busy (assistant) || c->tls);
      WAIT_UNTIL (!ofl_ui_test_busy (assistant));
      if (!c->tls)
        WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);
    }
  else
    {
      OflAssistantPage *target = ofl_ui_test_page (window, c->fix_page);

      GType type = c->fix_page == OFL_PAGE_TOKEN ? OFL_TYPE_TOKEN_PAGE : OFL_TYPE_EMAIL_PAGE;
      GtkLabel *reason = ofl_ui_test_child (target, type, "message_label");

      g_assert_cmpint (ofl_ui_test_current (assistant), ==, c->fix_page);
      WAIT_UNTIL (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (target)));
      /* The same reason stands next to the field to change. */
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
      g_assert_cmpstr (gtk_label_get_label (reason), ==, reason_text);
    }

  ofl_ui_test_close_window (window);

  /* Leave the keyring empty for the next case. */
  secret_password_clear_sync (ofl_store_get_schema (), NULL, NULL, "email", OFL_FAKE_EMAIL_ANNA, NULL);
  g_unsetenv ("ONEFLOW_LINK_API_URL");
}

static const Case rejected = {
  .token = UNKNOWN_TOKEN, .code = OFL_ERROR_TOKEN_REJECTED,
  .fix_page = OFL_PAGE_TOKEN, .fix_label = "Change the _Token",
};
static const Case unknown_email = {
  .email = "nobody@example.com", .code = OFL_ERROR_UNKNOWN_USER,
  .fix_page = OFL_PAGE_EMAIL, .fix_label = "Change the _Email",
};
/* Dora is a user of Beta Oy only: Oneflow says "not a user of this
 * account" about a real, active user; the app names the account. */
static const Case other_account_email = {
  .email = OFL_FAKE_EMAIL_DORA, .code = OFL_ERROR_UNKNOWN_USER,
  .fix_page = OFL_PAGE_EMAIL, .fix_label = "Change the _Email",
  .in_message = "is not a user of " OFL_FAKE_ACCOUNT_ACME ". The token and the email must belong to the same Oneflow account",
  .not_in_message = "x-oneflow-user-email",
  .in_details = "Oneflow said: The user in x-oneflow-user-email is not a user of this account.",
};
static const Case deactivated = {
  .email = OFL_FAKE_EMAIL_BERT, .code = OFL_ERROR_USER_DEACTIVATED,
  .fix_page = OFL_PAGE_EMAIL, .fix_label = "Change the _Email",
};
static const Case rate_limited = {
  .fault = OFL_FAKE_FAULT_429_RETRY_AFTER, .retry_after = "600", .code = OFL_ERROR_RATE_LIMITED,
  .fix_page = OFL_PAGE_CONNECT, .fix_label = "_Try Again", .in_message = "try again at",
};
static const Case unavailable = {
  .fault = OFL_FAKE_FAULT_503, .code = OFL_ERROR_UNAVAILABLE,
  .fix_page = OFL_PAGE_CONNECT, .fix_label = "_Try Again",
};
static const Case timed_out = {
  .fault = OFL_FAKE_FAULT_HANG, .timeout = 1, .code = OFL_ERROR_TIMED_OUT,
  .fix_page = OFL_PAGE_CONNECT, .fix_label = "_Try Again",
};
static const Case details_not_saved = {
  .details_blocked = TRUE, .code = OFL_ERROR_DETAILS_NOT_SAVED,
  .fix_page = OFL_PAGE_CONNECT, .fix_label = "_Try Again",
  .title = "The Link Could Not Be Saved", .in_message = "keyring was not changed",
};
static const Case tls = {
  .tls = TRUE, .code = OFL_ERROR_TLS,
  .fix_page = OFL_PAGE_CONNECT, .fix_label = "_Try Again",
};

int
main (int   argc,
      char *argv[])
{
  int status;

  ofl_ui_test_init (&argc, &argv);
  server = ofl_ui_test_start_server (FALSE);

  g_test_add_data_func ("/failures/token-rejected", &rejected, run_case);
  g_test_add_data_func ("/failures/unknown-email", &unknown_email, run_case);
  g_test_add_data_func ("/failures/other-account-email", &other_account_email, run_case);
  g_test_add_data_func ("/failures/user-deactivated", &deactivated, run_case);
  g_test_add_data_func ("/failures/rate-limited", &rate_limited, run_case);
  g_test_add_data_func ("/failures/unavailable", &unavailable, run_case);
  g_test_add_data_func ("/failures/timed-out", &timed_out, run_case);
  g_test_add_data_func ("/failures/tls", &tls, run_case);
  g_test_add_data_func ("/failures/details-not-saved", &details_not_saved, run_case);

  status = g_test_run ();
  g_clear_object (&server);

  return status;
}
