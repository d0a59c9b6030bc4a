/* bench-probe.c: when a window first paints what counts, seen from outside
 *
 * GdkFrameClock::after-paint follows the paint of every frame. A widget
 * that is mapped then was laid out and drawn in that frame (mapping
 * happens outside the frame's layout and paint phases), so checking the
 * widgets there tells which frame first showed them. */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "bench-probe.h"

typedef struct {
  GtkWindow      *window;
  BenchReadyFunc  ready;
  gpointer        user_data;
  gint64          painted_us;
} Probe;

GtkWidget *
bench_probe_find_mapped (GtkWidget *widget,
                         GType      type)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bench_probe_find_mapped (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
probe_free (gpointer  data,
            GClosure *closure)
{
  g_free (data);
}

/* Start-up: print and exit on the first frame that is ready. */

static void
exit_after_paint_cb (GdkFrameClock *clock,
                     Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (!probe->ready (probe->window, probe->user_data))
    return;

  printf ("first-frame-us=%" G_GINT64_FORMAT "\n", now);
  fflush (stdout);
  _exit (0);
}

static void
window_map_cb (GtkWidget *widget,
               Probe     *probe)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (exit_after_paint_cb), probe);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 Probe          *template)
{
  Probe *probe = g_new0 (Probe, 1);

  *probe = *template;
  probe->window = window;
  /* The process ends in exit_after_paint_cb(); until then it is needed. */
  g_signal_connect_data (window, "map", G_CALLBACK (window_map_cb), probe,
                         probe_free, 0);
}

void
bench_probe_exit_on_ready (GtkApplication *app,
                           BenchReadyFunc  ready,
                           gpointer        user_data)
{
  Probe *template = g_new0 (Probe, 1);

  template->ready = ready;
  template->user_data = user_data;
  g_signal_connect_data (app, "window-added", G_CALLBACK (window_added_cb), template,
                         probe_free, 0);
}

/* Later frames: wait in a nested main loop. */

static void
record_after_paint_cb (GdkFrameClock *clock,
                       Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  if (probe->painted_us == 0 && probe->ready (probe->window, probe->user_data))
    probe->painted_us = now;
}

static gboolean
wake_cb (gpointer user_data)
{
  /* Only wakes the main loop so the loops below see the time pass. */
  return G_SOURCE_CONTINUE;
}

struct _BenchProbe {
  Probe          probe;
  GdkFrameClock *clock;
  gulong         handler;
};

BenchProbe *
bench_probe_watch_frames (GtkWindow      *window,
                          BenchReadyFunc  ready,
                          gpointer        user_data)
{
  BenchProbe *self = g_new0 (BenchProbe, 1);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  self->probe.window = window;
  self->probe.ready = ready;
  self->probe.user_data = user_data;
  self->clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (window)));
  self->handler = g_signal_connect (self->clock, "after-paint",
                                    G_CALLBACK (record_after_paint_cb), &self->probe);

  return self;
}

gint64
bench_probe_wait (BenchProbe *self,
                  guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gint64 painted_us;
  guint wake = g_timeout_add (100, wake_cb, NULL);

  while (self->probe.painted_us == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("No frame showed what the benchmark waits for within %u s", timeout_s);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
  g_signal_handler_disconnect (self->clock, self->handler);
  g_object_unref (self->clock);
  painted_us = self->probe.painted_us;
  g_free (self);

  return painted_us;
}

static void
quiet_after_paint_cb (GdkFrameClock *clock,
                      gint64        *last_paint_us)
{
  *last_paint_us = g_get_monotonic_time ();
}

void
bench_probe_wait_for_quiet (GtkWindow *window,
                            guint      quiet_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 last_paint_us = g_get_monotonic_time ();
  gulong handler;
  guint wake;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (quiet_after_paint_cb), &last_paint_us);
  wake = g_timeout_add (MAX (quiet_ms / 4, 1), wake_cb, NULL);

  while (g_get_monotonic_time () - last_paint_us < (gint64) quiet_ms * 1000)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  g_signal_handler_disconnect (clock, handler);
}
