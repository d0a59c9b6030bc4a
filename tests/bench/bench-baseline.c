/* bench-baseline.c: the start-up baseline, a minimal libadwaita window
 * with one AdwStatusPage, built with the app's flags and timed with the
 * same probe as the app (bench-probe.c): the first frame painted with its
 * content (the status page) mapped. */

#include "config.h"

#include <adwaita.h>

#include "bench-probe.h"

static gboolean
content_ready (GtkWindow *window,
               gpointer   user_data)
{
  return bench_probe_find_mapped (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE) != NULL;
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Baseline");
  adw_status_page_set_description (ADW_STATUS_PAGE (status), "A minimal libadwaita window.");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-information-symbolic");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 680);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.example.OneflowLink.Baseline",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  bench_probe_exit_on_ready (GTK_APPLICATION (app), content_ready, NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
