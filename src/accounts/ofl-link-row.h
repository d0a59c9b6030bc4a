/* ofl-link-row.h: one stored link in the accounts view */
#pragma once

#include <adwaita.h>

#include "ofl-link.h"

G_BEGIN_DECLS

#define OFL_TYPE_LINK_ROW (ofl_link_row_get_type ())
G_DECLARE_FINAL_TYPE (OflLinkRow, ofl_link_row, OFL, LINK_ROW, AdwExpanderRow)

GtkWidget *ofl_link_row_new      (OflLink    *link);
OflLink   *ofl_link_row_get_link (OflLinkRow *self);

/* The rows inside a collapsed row are shown after the first frame. */
void       ofl_link_row_show_details      (OflLinkRow *self);
gboolean   ofl_link_row_get_details_shown (OflLinkRow *self);

/* "Can create contracts, see contracts" from _permissions keys. */
char      *ofl_link_describe_permissions (const char * const *permissions);

/* Actions: link.check, link.relink, link.copy-token, link.copy-email
 * (buttons), link.remove (the row's last row, destructive); each emits
 * the signal of the same name ("check", "relink", "copy-token",
 * "copy-email", "remove") for the view, which asks before it removes. The subtitle says the status in words, and its relative
 * times ("checked 5 minutes ago") keep themselves up to date. */

G_END_DECLS
