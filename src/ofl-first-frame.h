/* ofl-first-frame.h: a start-up probe for the benchmark */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* When OFL_BENCH_FIRST_FRAME is set, prints "first-frame-us=<monotonic
 * µs>" once @window has painted its first frame with real content (see
 * ofl_first_frame_content_ready()), and exits. Otherwise does nothing. */
void ofl_first_frame_watch         (GtkWindow *window);
/* Says that what the window shows now is its real content (the welcome
 * page or the accounts, not a placeholder), so the next frame counts. */
void ofl_first_frame_content_ready (GtkWindow *window);

G_END_DECLS
