/* ofl-first-frame.c: a start-up probe for the benchmark
 *
 * tests/bench measures exec-to-first-frame for the app and for a minimal
 * libadwaita baseline with this same probe, so both are timed alike. The
 * frame that counts is the first one painted after the window says its
 * real content is on screen. */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "ofl-first-frame.h"

#define READY_KEY "ofl-first-frame-ready"

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  if (!g_object_get_data (G_OBJECT (window), READY_KEY))
    return;

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
                    G_CALLBACK (after_paint_cb), widget);
}

void
ofl_first_frame_watch (GtkWindow *window)
{
  if (g_getenv ("OFL_BENCH_FIRST_FRAME") == NULL)
    return;
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
}

void
ofl_first_frame_content_ready (GtkWindow *window)
{
  if (g_getenv ("OFL_BENCH_FIRST_FRAME") == NULL)
    return;
  g_object_set_data (G_OBJECT (window), READY_KEY, GINT_TO_POINTER (TRUE));
  /* Make sure a frame follows even if nothing else changes. */
  gtk_widget_queue_draw (GTK_WIDGET (window));
}
