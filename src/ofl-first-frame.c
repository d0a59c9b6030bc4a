/* ofl-first-frame.c: a start-up probe for the benchmark
 *
 * tests/bench measures exec-to-first-frame for the app and for a minimal
 * libadwaita baseline with this same probe, so both are timed alike. */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "ofl-first-frame.h"

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  printf ("first-frame-us=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  /* Measured: nothing after the first frame matters to the benchmark. */
  _exit (0);
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

void
ofl_first_frame_watch (GtkWindow *window)
{
  if (g_getenv ("OFL_BENCH_FIRST_FRAME") == NULL)
    return;
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
}
