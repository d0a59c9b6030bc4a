/* bench-connect.c: the app, from pressing Connect to the result on screen
 *
 *   ONEFLOW_LINK_API_URL=URL bench-connect --token-file FILE --email EMAIL
 *
 * Starts the app as src/main.c does (its own code, libofl-ui, with no hook
 * added), waits for the welcome page, fills in the assistant through the
 * UI tests' helpers, waits until the window is quiet, as a person reads
 * the Connect page before pressing it, then presses Connect. Prints
 *   connect-us=T
 * where T is the time to the first frame that shows the result: the
 * "Account Linked" dialog over the accounts view with the new link's row.
 * Verification, the keyring, links.json, reading the links back and
 * drawing all count. The link stays stored; the benchmark removes it. */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "bench-probe.h"
#include "ofl-ui-test.h"
#include "ofl-welcome-page.h"

typedef struct {
  char *token;
  char *email;
  int   status;
} Run;

static gboolean
welcome_shown (GtkWindow *window,
               gpointer   user_data)
{
  return bench_probe_find_mapped (GTK_WIDGET (window), OFL_TYPE_WELCOME_PAGE) != NULL;
}

/* The result: the dialog is up, and under it the accounts view lists the
 * new link. */
static gboolean
result_shown (GtkWindow *window,
              gpointer   user_data)
{
  Run *run = user_data;
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
  GtkWidget *view = bench_probe_find_mapped (GTK_WIDGET (window), OFL_TYPE_ACCOUNTS_VIEW);
  GtkWidget *list;

  if (dialog == NULL || !gtk_widget_get_mapped (GTK_WIDGET (dialog)) || view == NULL)
    return FALSE;

  list = bench_probe_find_mapped (view, GTK_TYPE_LIST_BOX);
  for (GtkWidget *row = list ? gtk_widget_get_first_child (list) : NULL;
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (gtk_widget_get_mapped (row) && ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), run->email) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
drive_cb (gpointer user_data)
{
  Run *run = user_data;
  GApplication *app = g_application_get_default ();
  OflWindow *window = NULL;
  BenchProbe *probe;
  gint64 started, painted;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (OFL_IS_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);

  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  bench_probe_wait (bench_probe_watch_frames (GTK_WINDOW (window), welcome_shown, run), 60);

  ofl_ui_test_fill (window, run->token, run->email);
  bench_probe_wait_for_quiet (GTK_WINDOW (window), 300);

  probe = bench_probe_watch_frames (GTK_WINDOW (window), result_shown, run);
  started = g_get_monotonic_time ();
  ofl_ui_test_connect (window);
  painted = bench_probe_wait (probe, 60);

  printf ("connect-us=%" G_GINT64_FORMAT "\n", painted - started);
  fflush (stdout);
  run->status = 0;
  g_application_quit (app);

  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Run          *run)
{
  /* After the app's own activate: its window is presented. */
  g_idle_add (drive_cb, run);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *token_file = NULL;
  g_autofree char *token = NULL;
  g_autofree char *email = NULL;
  GOptionEntry entries[] = {
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, "File holding the token", "FILE" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "User email", "EMAIL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time Connect");
  g_autoptr(GError) error = NULL;
  g_autoptr(OflApplication) app = NULL;
  Run run = { NULL, NULL, 1 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || token_file == NULL || email == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--token-file and --email are required");
      return 2;
    }
  /* Like the app, the token never comes from the command line. */
  if (!g_file_get_contents (token_file, &token, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  run.token = g_strstrip (token);
  run.email = email;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ofl_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), &run);
  if (g_application_run (G_APPLICATION (app), 1, argv) != 0)
    return 1;

  return run.status;
}
