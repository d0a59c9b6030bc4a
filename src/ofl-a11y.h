/* ofl-a11y.h: small accessibility helpers for GTK 4.8 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ofl_a11y_name_mnemonic_controls (GtkWidget *root);

G_END_DECLS
