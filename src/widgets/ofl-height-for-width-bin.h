/* ofl-height-for-width-bin.h: a bin laid out height-for-width only */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OFL_TYPE_HEIGHT_FOR_WIDTH_BIN (ofl_height_for_width_bin_get_type ())
G_DECLARE_FINAL_TYPE (OflHeightForWidthBin, ofl_height_for_width_bin, OFL, HEIGHT_FOR_WIDTH_BIN, GtkWidget)

GtkWidget *ofl_height_for_width_bin_new       (void);
GtkWidget *ofl_height_for_width_bin_get_child (OflHeightForWidthBin *self);
void       ofl_height_for_width_bin_set_child (OflHeightForWidthBin *self,
                                        GtkWidget       *child);

G_END_DECLS
