/* ofl-a11y.h: small accessibility helpers for GTK 4.8 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       ofl_a11y_name_mnemonic_controls (GtkWidget *root);

GtkWidget *ofl_a11y_expose_entry_row       (GtkWidget *row);
GtkWidget *ofl_a11y_field_accessible       (GtkWidget *field);

G_END_DECLS
