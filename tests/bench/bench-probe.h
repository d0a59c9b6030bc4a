/* bench-probe.h: when a window first paints what counts, seen from outside
 *
 * The benchmark's programs (bench-app, bench-baseline, bench-connect) time
 * frames with this probe, so the app and its baselines are timed alike.
 * The app itself has no hook for it: a program decides what "ready" means
 * by looking at the window's widgets after each frame is painted. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether what @window shows now is what the benchmark waits for. Called
 * after each frame is painted, so the widgets are laid out and drawn. */
typedef gboolean (*BenchReadyFunc) (GtkWindow *window,
                                    gpointer   user_data);

/* Watches every window @app gets: once one paints a frame for which
 * @ready holds, prints "first-frame-us=<monotonic µs>" and exits at once
 * (nothing after that frame matters to a start-up benchmark). Call it
 * before g_application_run(). */
void      bench_probe_exit_on_ready   (GtkApplication *app,
                                       BenchReadyFunc  ready,
                                       gpointer        user_data);

typedef struct _BenchProbe BenchProbe;

/* Starts watching the frames @window (mapped) paints from now on. */
BenchProbe *bench_probe_watch_frames  (GtkWindow      *window,
                                       BenchReadyFunc  ready,
                                       gpointer        user_data);
/* Spins the main loop until @probe's window has painted a frame for which
 * its @ready held (perhaps already), frees @probe and returns the
 * monotonic time that frame was painted. Gives up (exits with an error)
 * after @timeout_s seconds. */
gint64      bench_probe_wait          (BenchProbe     *probe,
                                       guint           timeout_s);

/* Spins the main loop until @window has painted nothing for @quiet_ms:
 * animations and deferred work are over, as before a person clicks. */
void      bench_probe_wait_for_quiet  (GtkWindow      *window,
                                       guint           quiet_ms);

/* The first mapped descendant of @widget (or @widget) of @type, or NULL. */
GtkWidget *bench_probe_find_mapped    (GtkWidget      *widget,
                                       GType           type);

G_END_DECLS
