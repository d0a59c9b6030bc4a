/* ofl-window-private.h: for the window itself and its tests */
#pragma once

#include "ofl-window.h"

G_BEGIN_DECLS

/* "loading", "welcome", "accounts" or "assistant" */
const char *ofl_window_get_view          (OflWindow   *self);
GtkWidget  *ofl_window_get_assistant     (OflWindow   *self);
GtkWidget  *ofl_window_get_accounts_view (OflWindow   *self);

G_END_DECLS
