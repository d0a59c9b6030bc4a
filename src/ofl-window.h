/* ofl-window.h */
#pragma once

#include <adwaita.h>

#include "ofl-links.h"

G_BEGIN_DECLS

#define OFL_TYPE_WINDOW (ofl_window_get_type ())
G_DECLARE_FINAL_TYPE (OflWindow, ofl_window, OFL, WINDOW, AdwApplicationWindow)

/* A window of @application that shows and acts on @links, the
 * application's link service. */
OflWindow  *ofl_window_new            (GtkApplication *application,
                                       OflLinks       *links);

/* Re-links the stored link of @email (the one that needs attention when
 * the email is linked to several accounts): the assistant opens where the
 * repair starts, with the email filled in. Waits for the links to load;
 * an unknown email gets a toast. */
void        ofl_window_relink         (OflWindow      *self,
                                       const char     *email);
void        ofl_window_relink_link    (OflWindow      *self,
                                       OflLink        *link);
void        ofl_window_show_toast     (OflWindow      *self,
                                       const char     *text);


G_END_DECLS
