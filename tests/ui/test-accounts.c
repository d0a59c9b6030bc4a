/* test-accounts.c: the accounts view lists stored links, says each one's
 * status in words (with relative times that keep up), checks one on
 * request, and removes one only from its destructive row, after
 * confirming. One control adds a link. */

#include "config.h"

#include <string.h>

#include "ofl-enable-page.h"
#include "ofl-link-row.h"
#include "ofl-ui-test.h"

static const char *
subtitle (GtkWidget *row)
{
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

static gboolean
subtitle_has (GtkWidget  *row,
              const char *needle)
{
  return strstr (subtitle (row), needle) != NULL;
}

/* The first descendant of @widget of @type, depth first. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found)
        return found;
    }

  return NULL;
}

/* Whether a label under @widget shows @text (its text, not its markup). */
static gboolean
has_label_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;

  return FALSE;
}

/* The buttons (and button rows) of @widget whose action is @action. */
static void
collect_actionables (GtkWidget  *widget,
                     const char *action,
                     GPtrArray  *found)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_actionables (child, action, found);
}

static guint
n_mapped_actionables (GtkWidget  *widget,
                      const char *action)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  guint n = 0;

  collect_actionables (widget, action, found);
  for (guint i = 0; i < found->len; i++)
    n += gtk_widget_get_mapped (g_ptr_array_index (found, i));

  return n;
}

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
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "accounts");
  view = ofl_ui_test_accounts_view (window);

  /* Listing: both, not checked yet. */
  anna_row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_ANNA);
  carl_row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_CARL);
  g_assert_nonnull (anna_row);
  g_assert_nonnull (carl_row);
  anna = ofl_link_row_get_link (OFL_LINK_ROW (anna_row));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_false (adw_banner_get_revealed (ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "banner")));
  g_assert_cmpstr (subtitle (anna_row), ==, "Not checked yet");

  /* Check now: the row shows progress (a libadwaita spinner), then the
   * verdict, in words, and the details. */
  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, 200);
  ofl_ui_test_activate (anna_row, "link.check");
  g_assert_true (ofl_link_get_busy (anna));
  g_assert_cmpstr (subtitle (anna_row), ==, "Checking…");
  {
    GtkStack *stack = ofl_ui_test_child (anna_row, OFL_TYPE_LINK_ROW, "status_stack");

    g_assert_true (ADW_IS_SPINNER (gtk_stack_get_visible_child (stack)));
    g_assert_null (find_descendant (anna_row, GTK_TYPE_SPINNER));
  }
  WAIT_UNTIL (!ofl_link_get_busy (anna));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_OK);
  g_assert_cmpstr (ofl_link_get_account_name (anna), ==, OFL_FAKE_ACCOUNT_ACME);
  g_assert_cmpstr (subtitle (anna_row), ==, OFL_FAKE_ACCOUNT_ACME "\nWorking · checked just now");
  g_assert_nonnull (ofl_link_get_last_checked (anna));
  g_assert_cmpuint (ofl_link_get_workspaces (anna)->len, >, 0);
  ofl_fake_server_reset_faults (server);

  /* A revoked token makes the link need attention, with the reason. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  ofl_ui_test_activate (anna_row, "link.check");
  WAIT_UNTIL (!ofl_link_get_busy (anna));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_NEEDS_ATTENTION);
  g_assert_cmpstr (subtitle (anna_row), ==, OFL_FAKE_ACCOUNT_ACME "\nNeeds attention: token revoked");

  /* …and the banner over the list says so, with its way out. */
  {
    AdwBanner *banner = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "banner");

    g_assert_true (adw_banner_get_revealed (banner));
    g_assert_nonnull (strstr (adw_banner_get_title (banner), OFL_FAKE_EMAIL_ANNA));
  }

  /* Re-link opens the assistant at "Generate the API token" with the
   * email filled in (test-relink follows the whole trip). */
  ofl_ui_test_activate (anna_row, "link.relink");
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
  g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_GENERATE);
  g_assert_cmpstr (gtk_editable_get_text (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                             OFL_TYPE_EMAIL_PAGE, "email_row")),
                   ==, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (ofl_ui_test_assistant (window), "assistant.cancel");
  if (ofl_ui_test_find_dialog (window))
    ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "discard");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);

  /* Remove is not a button beside Check Now and Re-link: it is the
   * row's last row, destructive. It asks first; Cancel keeps the link. */
  carl_row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_CARL);
  {
    g_autoptr(GPtrArray) removers = g_ptr_array_new ();
    GtkWidget *remove_row;

    collect_actionables (carl_row, "link.remove", removers);
    g_assert_cmpuint (removers->len, ==, 1);
    remove_row = g_ptr_array_index (removers, 0);
    g_assert_true (ADW_IS_BUTTON_ROW (remove_row));
    g_assert_true (gtk_widget_has_css_class (remove_row, "destructive-action"));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (remove_row)), ==, "_Remove Link…");
    g_assert_null (gtk_widget_get_next_sibling (remove_row));
    /* As a click or Enter on it does. */
    g_signal_emit_by_name (remove_row, "activate");
  }
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_default_response (dialog), ==, "cancel");
  ofl_ui_test_respond (dialog, "cancel");

  /* Remove, confirmed, for anna: a removal that Cancel had started for
   * carl, a moment earlier, would be over when this one is. */
  anna_row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_ANNA);
  ofl_ui_test_activate (anna_row, "link.remove");
  dialog = ofl_ui_test_find_dialog (window);
  g_assert_nonnull (dialog);
  ofl_ui_test_respond (dialog, "remove");
  WAIT_UNTIL (ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_ANNA) == NULL);
  g_assert_null (ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_ANNA));

  g_assert_nonnull (ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_CARL));
  carl_token = ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_CARL);
  g_assert_cmpstr (carl_token, ==, OFL_FAKE_TOKEN_ACME);

  /* The last one: the empty state (the welcome page) comes back. */
  carl_row = ofl_ui_test_find_row (view, OFL_FAKE_EMAIL_CARL);
  ofl_ui_test_activate (carl_row, "link.remove");
  dialog = ofl_ui_test_find_dialog (window);
  ofl_ui_test_respond (dialog, "remove");
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "welcome") == 0);
  g_assert_null (ofl_ui_test_keyring_lookup (OFL_FAKE_EMAIL_CARL));

  ofl_ui_test_close_window (window);
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
  g_assert_cmpuint (ofl_ui_test_n_rows (view), >=, 8);
  g_assert_cmpuint (ofl_ui_test_n_rows (view), <, 20);

  gtk_window_present (window);
  WAIT_UNTIL (ofl_ui_test_n_rows (view) == 20 && all_details_shown (view));

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(OflLink) link = NULL;

      if (!OFL_IS_LINK_ROW (child))
        continue;
      link = g_list_model_get_item (G_LIST_MODEL (links), i++);
      g_assert_true (ofl_link_row_get_link (OFL_LINK_ROW (child)) == link);
    }

  /* After the rows' fill-in is over (it stops a frame later). */
  ofl_ui_test_wait_frames (GTK_WIDGET (window), 3);
  g_list_store_append (links, late);
  WAIT_UNTIL (ofl_ui_test_n_rows (view) == 21);
  g_assert_nonnull (ofl_ui_test_find_row (view, "late@acme.example"));

  /* A new list: the last row is there as soon as it is asked for. */
  ofl_accounts_view_set_links (view, G_LIST_MODEL (more_links));
  g_assert_cmpuint (ofl_ui_test_n_rows (view), <, 20);
  g_assert_nonnull (ofl_ui_test_find_row (view, "user19@acme.example"));
  g_assert_cmpuint (ofl_ui_test_n_rows (view), ==, 20);

  gtk_window_destroy (window);
}

/* A link as links.json would give it back: @status, @problem, and its
 * last check and last success @checked_s and @ok_s seconds ago (or never
 * when negative). */
static OflLink *
link_with (const char *status,
           const char *problem,
           gint64      checked_s,
           gint64      ok_s)
{
  OflLink *link = ofl_link_new (OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, "https://api.oneflow.example/v1");
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  json_object_set_string_member (object, "account_name", OFL_FAKE_ACCOUNT_ACME);
  json_object_set_string_member (object, "status", status);
  if (problem)
    json_object_set_string_member (object, "problem", problem);
  if (checked_s >= 0)
    {
      g_autoptr(GDateTime) when = g_date_time_add (now, -checked_s * G_TIME_SPAN_SECOND);
      g_autofree char *text = g_date_time_format_iso8601 (when);

      json_object_set_string_member (object, "last_checked", text);
    }
  if (ok_s >= 0)
    {
      g_autoptr(GDateTime) when = g_date_time_add (now, -ok_s * G_TIME_SPAN_SECOND);
      g_autofree char *text = g_date_time_format_iso8601 (when);

      json_object_set_string_member (object, "last_ok", text);
    }
  ofl_link_apply_json (link, object);

  return link;
}

static char *
status_line_of (OflLink *link)
{
  GtkWidget *row = g_object_ref_sink (ofl_link_row_new (link));
  const char *text = subtitle (row);
  char *line;

  /* The account on the first line, the status on the second. */
  g_assert_true (g_str_has_prefix (text, OFL_FAKE_ACCOUNT_ACME "\n"));
  line = g_strdup (text + strlen (OFL_FAKE_ACCOUNT_ACME "\n"));
  g_object_unref (row);

  return line;
}

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* Every status and every problem is said in words, with the time of the
 * last check in words a person says, plural forms and all. */
static void
test_status_words (void)
{
  static const struct {
    const char *status;
    const char *problem;
    gint64      checked_s;
    gint64      ok_s;
    const char *words;
  } cases[] = {
    { "unchecked", NULL, -1, -1, "Not checked yet" },
    { "ok", NULL, 5, 5, "Working · checked just now" },
    { "ok", NULL, 1 * MINUTE + 5, 1 * MINUTE + 5, "Working · checked 1 minute ago" },
    { "ok", NULL, 5 * MINUTE + 5, 5 * MINUTE + 5, "Working · checked 5 minutes ago" },
    { "ok", NULL, 1 * HOUR + 5, 1 * HOUR + 5, "Working · checked 1 hour ago" },
    { "ok", NULL, 3 * HOUR + 5, 3 * HOUR + 5, "Working · checked 3 hours ago" },
    { "ok", NULL, 1 * DAY + 5, 1 * DAY + 5, "Working · checked 1 day ago" },
    { "ok", NULL, 4 * DAY + 5, 4 * DAY + 5, "Working · checked 4 days ago" },
    { "ok", NULL, -1, -1, "Working" },
    /* No verdict at the last check: still working, since when, and why. */
    { "ok", "network", 5, 2 * HOUR + 5, "Last worked 2 hours ago · Oneflow could not be reached" },
    { "ok", "proxy", 5, 2 * HOUR + 5, "Last worked 2 hours ago · Oneflow could not be reached" },
    { "ok", "rate-limited", 5, 5 * MINUTE + 5, "Last worked 5 minutes ago · Oneflow asked to wait" },
    { "ok", "unavailable", 5, 5, "Last worked just now · Oneflow was not available" },
    { "ok", "timed-out", 5, 5, "Last worked just now · Oneflow did not answer in time" },
    { "ok", "tls", 5, 5, "Last worked just now · the connection was not secure" },
    { "ok", "unexpected-response", 5, 5, "Last worked just now · the last check gave no answer" },
    /* Needs attention: the reason in words, never a nick. */
    { "needs-attention", "token-rejected", 5, 3 * DAY, "Needs attention: token revoked" },
    { "needs-attention", "user-deactivated", 5, -1, "Needs attention: user deactivated" },
    { "needs-attention", "unknown-user", 5, -1, "Needs attention: user not in the account" },
    { "needs-attention", "other-account", 5, -1, "Needs attention: token of another account" },
    { "needs-attention", "unexpected-response", 5, -1, "Needs attention: the last check did not pass" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OflLink) link = link_with (cases[i].status, cases[i].problem, cases[i].checked_s, cases[i].ok_s);
      g_autofree char *words = status_line_of (link);

      g_test_message ("%s %s: %s", cases[i].status, cases[i].problem ? cases[i].problem : "-", words);
      g_assert_cmpstr (words, ==, cases[i].words);
    }

  /* An account name is shown as it is, not read as markup (the row's
   * title and subtitle are markup: it is escaped). */
  {
    g_autoptr(OflLink) link = link_with ("ok", NULL, 5, 5);
    GtkWidget *row;

    ofl_link_set_account_name (link, "Smith & <Co>");
    row = g_object_ref_sink (ofl_link_row_new (link));
    g_assert_true (has_label_text (row, "Smith & <Co>\nWorking · checked just now"));
    g_object_unref (row);
  }

  /* A week on, a date: "on 3 December 2026". */
  {
    g_autoptr(OflLink) link = link_with ("ok", NULL, 10 * DAY, 10 * DAY);
    g_autofree char *words = status_line_of (link);
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) then = g_date_time_add_days (now, -10);
    g_autofree char *year = g_date_time_format (then, " %Y");

    g_assert_true (g_str_has_prefix (words, "Working · checked on "));
    g_assert_true (g_str_has_suffix (words, year));
  }
}

/* "just now" becomes "1 minute ago" when the minute is up, with nothing
 * else happening to the link. */
static void
test_relative_time_updates (void)
{
  g_autoptr(OflLink) link = link_with ("ok", NULL, 59, 59);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *row = ofl_link_row_new (link);
  GtkWidget *list_box = gtk_list_box_new ();
  gint64 start = g_get_monotonic_time ();

  gtk_list_box_append (GTK_LIST_BOX (list_box), row);
  gtk_window_set_child (window, list_box);
  gtk_window_present (window);

  g_assert_true (subtitle_has (row, "Working · checked just now"));
  WAIT_UNTIL (subtitle_has (row, "Working · checked 1 minute ago"));
  /* Within about the second that was left, not at some later sweep. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);

  gtk_window_destroy (window);
}

/* One control adds a link: the header bar's +, named and with a tooltip,
 * or the welcome page's Start, never both, and not in the main menu;
 * Ctrl+N does the same, and the shortcuts window says so. */

/* "title=accelerator" for each shortcut a UI file lists, in order, read
 * from its text: either file, whatever the libadwaita at hand. */
static char *
shortcuts_listed (const char *resource)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, 0, NULL);
  g_autoptr(GRegex) regex = g_regex_new ("context=\"shortcut window\">([^<]+)</property>\\s*"
                                         "<property name=\"accelerator\">([^<]+)<", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) listed = g_string_new (NULL);

  g_assert_nonnull (bytes);
  g_regex_match (regex, g_bytes_get_data (bytes, NULL), 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *title = g_match_info_fetch (match, 1);
      g_autofree char *accel = g_match_info_fetch (match, 2);

      g_string_append_printf (listed, "%s=%s\n", title, accel);
      g_match_info_next (match, NULL);
    }

  return g_string_free (g_steal_pointer (&listed), FALSE);
}

static void
test_one_add_control (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  GtkWidget *add_button;

  /* The welcome page: Start only. */
  window = ofl_ui_test_new_window ();
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "welcome");
  g_assert_cmpuint (n_mapped_actionables (GTK_WIDGET (window), "win.add-link"), ==, 1);
  add_button = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "add_button");
  g_assert_false (gtk_widget_get_mapped (add_button));
  ofl_ui_test_close_window (window);

  /* The accounts: the header bar's + only. */
  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, OFL_FAKE_ACCOUNT_ACME, OFL_FAKE_TOKEN_ACME);
  window = ofl_ui_test_new_window ();
  g_assert_cmpstr (ofl_ui_test_view (window), ==, "accounts");
  add_button = ofl_ui_test_child (window, OFL_TYPE_WINDOW, "add_button");
  WAIT_UNTIL (gtk_widget_get_mapped (add_button));
  g_assert_cmpuint (n_mapped_actionables (GTK_WIDGET (window), "win.add-link"), ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (add_button), ==, "Add a Link");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (add_button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add a Link");

  /* Ctrl+N: the window's shortcut for the same action. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    GtkShortcut *found = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
            GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

            if (g_str_equal (trigger, "<Control>n") && GTK_IS_NAMED_ACTION (action) &&
                g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.add-link"))
              found = shortcut;
          }
      }
    g_assert_nonnull (found);
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0, GTK_WIDGET (window), NULL));
    WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
    g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_ENABLE);

    /* Again while linking: the link under way stays where it is. */
    gtk_check_button_set_active (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_ENABLE),
                                                    OFL_TYPE_ENABLE_PAGE, "done_check"), TRUE);
    ofl_ui_test_activate (ofl_ui_test_assistant (window), "assistant.next");
    WAIT_UNTIL (ofl_ui_test_current (ofl_ui_test_assistant (window)) == OFL_PAGE_GENERATE);
    gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0, GTK_WIDGET (window), NULL);
    /* The action runs at once; a frame later, what it changed shows. */
    ofl_ui_test_wait_frames (GTK_WIDGET (window), 1);
    g_assert_cmpstr (ofl_ui_test_view (window), ==, "assistant");
    g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_GENERATE);
  }

  /* The shortcuts window lists it. */
  {
    g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/shortcuts-window.ui");
    GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
    g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
    gboolean listed = FALSE;

    g_assert_nonnull (overlay);
    for (GSList *l = objects; l; l = l->next)
      {
        g_autofree char *title = NULL, *accel = NULL;

        if (!g_object_class_find_property (G_OBJECT_GET_CLASS (l->data), "accelerator"))
          continue;
        g_object_get (l->data, "title", &title, "accelerator", &accel, NULL);
        listed |= g_strcmp0 (title, "Add a Link") == 0 && g_strcmp0 (accel, "<Control>n") == 0;
      }
    g_assert_true (listed);
    gtk_window_destroy (GTK_WINDOW (overlay));
  }

  /* The dialog (libadwaita 1.8 on) and the window (1.7) list the same. */
  {
    g_autofree char *in_window = shortcuts_listed (RESOURCE_PREFIX "/gtk/shortcuts-window.ui");
    g_autofree char *in_dialog = shortcuts_listed (RESOURCE_PREFIX "/gtk/shortcuts-dialog.ui");

    g_assert_nonnull (strstr (in_window, "Add a Link=&lt;Control&gt;n"));
    g_assert_cmpstr (in_dialog, ==, in_window);
  }

  if (ofl_ui_test_find_dialog (window) == NULL)
    ofl_ui_test_activate (ofl_ui_test_assistant (window), "assistant.cancel");
  if (ofl_ui_test_find_dialog (window))
    ofl_ui_test_respond (ofl_ui_test_find_dialog (window), "discard");
  ofl_ui_test_close_window (window);
}

/* The window's loading spinner is libadwaita's. */
static void
test_loading_spinner (void)
{
  OflWindow *window = ofl_window_new (GTK_APPLICATION (ofl_ui_test_get_app ()), ofl_application_get_links (ofl_ui_test_get_app ()));

  g_assert_true (ADW_IS_SPINNER (ofl_ui_test_child (window, OFL_TYPE_WINDOW, "loading_spinner")));
  g_assert_null (find_descendant (GTK_WIDGET (window), GTK_TYPE_SPINNER));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/accounts/list-check-remove", test_accounts);
  g_test_add_func ("/accounts/rows-fill-in", test_rows_fill_in);
  g_test_add_func ("/accounts/status-words", test_status_words);
  g_test_add_func ("/accounts/relative-time-updates", test_relative_time_updates);
  g_test_add_func ("/accounts/one-add-control", test_one_add_control);
  g_test_add_func ("/accounts/loading-spinner", test_loading_spinner);

  return g_test_run ();
}
