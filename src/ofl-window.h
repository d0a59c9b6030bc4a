/* ofl-window.h */
#pragma once

#include <adwaita.h>

#include "ofl-application.h"

G_BEGIN_DECLS

#define OFL_TYPE_WINDOW (ofl_window_get_type ())
G_DECLARE_FINAL_TYPE (OflWindow, ofl_window, OFL, WINDOW, AdwApplicationWindow)

OflWindow  *ofl_window_new            (OflApplication *application);

/* Opens the assistant at the token page with @email filled in. */
void        ofl_window_relink         (OflWindow      *self,
                                       const char     *email);
void        ofl_window_show_toast     (OflWindow      *self,
                                       const char     *text);
/* "loading", "welcome", "accounts" or "assistant" */
const char *ofl_window_get_view       (OflWindow      *self);
/* Re-reads the links from the store (async). */
void        ofl_window_reload         (OflWindow      *self);

/* For tests. */
GtkWidget  *ofl_window_get_assistant     (OflWindow   *self);
GtkWidget  *ofl_window_get_accounts_view (OflWindow   *self);

G_END_DECLS
