/* ofl-links-dbus.h: org.example.OneflowLink.Links1, the saved links for
 * integrations on this desktop (data/org.example.OneflowLink.Links1.xml)
 *
 * A front end of the link service with no logic of its own, exported by
 * the application next to its GApplication interfaces. */
#pragma once

#include <gio/gio.h>

#include "ofl-links.h"

G_BEGIN_DECLS

#define OFL_TYPE_LINKS_DBUS (ofl_links_dbus_get_type ())
G_DECLARE_FINAL_TYPE (OflLinksDBus, ofl_links_dbus, OFL, LINKS_DBUS, GObject)

/* @application is held while a call runs, and its app.relink action
 * opens the re-link step. */
OflLinksDBus *ofl_links_dbus_new      (GApplication     *application,
                                       OflLinks         *links);
gboolean      ofl_links_dbus_export   (OflLinksDBus     *self,
                                       GDBusConnection  *connection,
                                       const char       *object_path,
                                       GError          **error);
void          ofl_links_dbus_unexport (OflLinksDBus     *self);

G_END_DECLS
