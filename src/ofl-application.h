/* ofl-application.h */
#pragma once

#include <adwaita.h>

#include "ofl-link.h"

G_BEGIN_DECLS

#define OFL_TYPE_APPLICATION (ofl_application_get_type ())
G_DECLARE_FINAL_TYPE (OflApplication, ofl_application, OFL, APPLICATION, AdwApplication)

OflApplication *ofl_application_new (void);

/* A desktop notification that @link needs attention, naming its email
 * and cause; its default action (app.relink) opens the repair. */
void ofl_application_notify_link_broken         (OflApplication *self,
                                                 OflLink        *link);
void ofl_application_withdraw_link_notification (OflApplication *self,
                                                 const char     *email);

/* Actions: app.check-links (the desktop file's "Check Links": check
 * every link, notify about each that needs attention), app.relink (s:
 * an email), app.about, app.quit. */

G_END_DECLS
