/* bench-app.c: the app, as src/main.c starts it, timed to the first frame
 * that shows real content
 *
 *   bench-app welcome|accounts
 *
 * Links the app's own code (libofl-ui) and adds nothing to it but the
 * probe, which looks at the window's widgets from outside after each
 * frame: the welcome page mapped, or the accounts view mapped with its
 * rows in place (every link's row, or as many as fill the view). Prints
 * "first-frame-us=<monotonic µs>" on that frame and exits. */

#include "config.h"

#include <glib/gi18n.h>

#include "bench-probe.h"
#include "ofl-accounts-view.h"
#include "ofl-application.h"
#include "ofl-welcome-page.h"
#include "ofl-window.h"

/* The accounts view's list shows its rows: all of them, or enough that
 * the last one mapped reaches the bottom of the scrolled view. */
static gboolean
rows_loaded (GtkWidget *view)
{
  GListModel *links = ofl_accounts_view_get_links (OFL_ACCOUNTS_VIEW (view));
  GtkWidget *list = bench_probe_find_mapped (view, GTK_TYPE_LIST_BOX);
  GtkWidget *scrolled;
  GtkWidget *last = NULL;
  guint n_rows = 0;
  graphene_rect_t bounds;

  if (links == NULL || list == NULL)
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_mapped (child))
        {
          last = child;
          n_rows++;
        }
    }

  if (n_rows == 0)
    return FALSE;
  if (n_rows >= g_list_model_get_n_items (links))
    return TRUE;

  scrolled = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  return scrolled != NULL &&
         gtk_widget_compute_bounds (last, scrolled, &bounds) &&
         bounds.origin.y + bounds.size.height >= gtk_widget_get_height (scrolled);
}

static gboolean
content_ready (GtkWindow *window,
               gpointer   user_data)
{
  const char *expected = user_data;
  GtkWidget *view;

  if (!OFL_IS_WINDOW (window))
    return FALSE;

  if (g_str_equal (expected, "welcome"))
    return bench_probe_find_mapped (GTK_WIDGET (window), OFL_TYPE_WELCOME_PAGE) != NULL;

  view = bench_probe_find_mapped (GTK_WIDGET (window), OFL_TYPE_ACCOUNTS_VIEW);
  return view != NULL && rows_loaded (view);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflApplication) app = NULL;

  if (argc != 2 || (!g_str_equal (argv[1], "welcome") && !g_str_equal (argv[1], "accounts")))
    {
      g_printerr ("usage: %s welcome|accounts\n", argv[0]);
      return 2;
    }

  /* As src/main.c does. */
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ofl_application_new ();
  bench_probe_exit_on_ready (GTK_APPLICATION (app), content_ready, argv[1]);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
