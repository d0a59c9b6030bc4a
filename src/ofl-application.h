/* ofl-application.h */
#pragma once

#include <adwaita.h>

#include "ofl-links.h"

G_BEGIN_DECLS

#define OFL_TYPE_APPLICATION (ofl_application_get_type ())
G_DECLARE_FINAL_TYPE (OflApplication, ofl_application, OFL, APPLICATION, AdwApplication)

OflApplication *ofl_application_new (void);

/* The one link service every front end of this process uses. */
OflLinks       *ofl_application_get_links (OflApplication *self);

/* Notifications: a check that finds a link needing attention while no
 * window is seen, or during app.check-links, sends one; a link that
 * works again, is re-linked or removed withdraws its own. */

/* Actions: app.check-links (the desktop file's "Check Links": check
 * every link, notify about each that needs attention), app.relink (s:
 * an email), app.about, app.quit. */

G_END_DECLS
