/* ofl-window.h */
#pragma once

#include <adwaita.h>

#include "ofl-application.h"
#include "ofl-link.h"
#include "ofl-store.h"

G_BEGIN_DECLS

#define OFL_TYPE_WINDOW (ofl_window_get_type ())
G_DECLARE_FINAL_TYPE (OflWindow, ofl_window, OFL, WINDOW, AdwApplicationWindow)

OflWindow  *ofl_window_new            (OflApplication *application);

/* Re-links the stored link of @email (the one that needs attention when
 * the email is linked to several accounts): the assistant opens where the
 * repair starts, with the email filled in. Waits for the links to load;
 * an unknown email gets a toast. */
void        ofl_window_relink         (OflWindow      *self,
                                       const char     *email);
void        ofl_window_relink_link    (OflWindow      *self,
                                       OflLink        *link);
/* Checks every stored link in the background now; with @notify, each
 * that needs attention is also a desktop notification, and the app is
 * held until the verdicts are in. */
void        ofl_window_check_links    (OflWindow      *self,
                                       gboolean        notify);
void        ofl_window_show_toast     (OflWindow      *self,
                                       const char     *text);
/* "loading", "welcome", "accounts" or "assistant" */
const char *ofl_window_get_view       (OflWindow      *self);
/* Re-reads the links from the store (async). */
void        ofl_window_reload         (OflWindow      *self);

/* For tests. */
GtkWidget  *ofl_window_get_assistant     (OflWindow   *self);
GtkWidget  *ofl_window_get_accounts_view (OflWindow   *self);
OflStore   *ofl_window_get_store         (OflWindow   *self);

G_END_DECLS
