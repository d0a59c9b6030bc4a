/* test-clipboard.c: Copy for the Hub (issue 16). A link's row copies the
 * API token, marked for password managers and cleared 30 seconds later
 * if the clipboard still holds it, and the user email; read back from the
 * real clipboard of an Xvfb display. */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-link-row.h"
#include "ofl-secret-clipboard.h"
#include "ofl-ui-test.h"

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  /* Nothing on the clipboard reads as "". */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_clear_error (&error);
  g_assert_no_error (error);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* What the clipboard gives to anyone who asks, as text. */
static char *
read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, read_cb, &text);
  WAIT_UNTIL (text != NULL);
  return text;
}

/* The title of the toast on screen that starts with @prefix, or NULL:
 * AdwToastOverlay shows a toast's title in a label. */
static char *
toast_text (GtkWidget  *widget,
            const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      char *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return g_strdup (gtk_label_get_text (GTK_LABEL (child)));
      if ((found = toast_text (child, prefix)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
toast_says (OflWindow  *window,
            const char *words)
{
  g_autofree char *text = toast_text (GTK_WIDGET (window), "API token copied");

  return words == NULL ? text == NULL : text != NULL && strstr (text, words) != NULL;
}

/* The clipboard is cleared 30 s after the copy: longer than WAIT_UNTIL's
 * usual deadline. */
static void
wait_for_clearing (GdkClipboard *clipboard)
{
  gint64 deadline = g_get_monotonic_time () + (OFL_SECRET_CLIPBOARD_SECONDS * G_USEC_PER_SEC) +
                    ofl_ui_test_timeout_us ();

  while (gdk_clipboard_get_content (clipboard) != NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The clipboard still holds the token");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_copy_token (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  g_autofree char *token = NULL;
  g_autofree char *cleared = NULL;
  OflWindow *window;
  GtkWidget *row;
  GdkClipboard *clipboard;
  gint64 copied_at;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);
  window = ofl_ui_test_new_window ();
  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  clipboard = gtk_widget_get_clipboard (row);

  ofl_ui_test_activate (row, "link.copy-token");
  WAIT_UNTIL (gdk_clipboard_get_content (clipboard) != NULL);
  copied_at = g_get_monotonic_time ();

  /* The token, as text, and the hint that keeps clipboard managers from
   * recording it. */
  token = read_clipboard (clipboard);
  g_assert_cmpstr (token, ==, OFL_FAKE_TOKEN_ACME);
  g_assert_true (gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                        "x-kde-passwordManagerHint"));

  /* A toast counts the seconds down. */
  WAIT_UNTIL (toast_says (window, "30 seconds"));
  WAIT_UNTIL (toast_says (window, "29 seconds"));

  /* After 30 seconds the clipboard holds nothing of ours; not before. */
  wait_for_clearing (clipboard);
  g_assert_cmpint (g_get_monotonic_time () - copied_at, >=, (OFL_SECRET_CLIPBOARD_SECONDS - 1) * G_USEC_PER_SEC);
  cleared = read_clipboard (clipboard);
  g_assert_cmpstr (cleared, !=, OFL_FAKE_TOKEN_ACME);
  WAIT_UNTIL (toast_says (window, NULL));

  ofl_ui_test_close_window (window);
}

/* Something copied after the token is never cleared. */
static void
test_later_copy_stays (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  g_autofree char *email = NULL;
  OflWindow *window;
  GtkWidget *row;
  GdkClipboard *clipboard;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);
  window = ofl_ui_test_new_window ();
  row = ofl_ui_test_find_row (ofl_ui_test_accounts_view (window), OFL_FAKE_EMAIL_ANNA);
  clipboard = gtk_widget_get_clipboard (row);

  ofl_ui_test_activate (row, "link.copy-token");
  WAIT_UNTIL (toast_says (window, "seconds"));
  ofl_ui_test_activate (row, "link.copy-email");
  email = read_clipboard (clipboard);
  g_assert_cmpstr (email, ==, OFL_FAKE_EMAIL_ANNA);
  g_assert_false (gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                         "x-kde-passwordManagerHint"));

  /* The token's time runs out: the email stays. */
  {
    gint64 deadline = g_get_monotonic_time () + (OFL_SECRET_CLIPBOARD_SECONDS * G_USEC_PER_SEC) +
                      ofl_ui_test_timeout_us ();

    while (!toast_says (window, NULL) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (toast_says (window, NULL));
  }
  g_clear_pointer (&email, g_free);
  email = read_clipboard (clipboard);
  g_assert_cmpstr (email, ==, OFL_FAKE_EMAIL_ANNA);

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/clipboard/copy-token", test_copy_token);
  g_test_add_func ("/clipboard/later-copy-stays", test_later_copy_stays);

  return g_test_run ();
}
