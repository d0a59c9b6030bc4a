/* ofl-window-private.h: for the window itself and its tests */
#pragma once

#include "ofl-window.h"

G_BEGIN_DECLS

/* The assistant, made now if the window has not shown it yet (it is
 * made on first use, to keep it out of start-up). */
GtkWidget  *ofl_window_get_assistant     (OflWindow   *self);

G_END_DECLS
