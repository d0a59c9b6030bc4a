/* ofl-scroll-column.h: the content of a page that scrolls vertically */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OFL_TYPE_SCROLL_COLUMN (ofl_scroll_column_get_type ())
G_DECLARE_FINAL_TYPE (OflScrollColumn, ofl_scroll_column, OFL, SCROLL_COLUMN, GtkWidget)

GtkWidget *ofl_scroll_column_new       (void);
GtkWidget *ofl_scroll_column_get_child (OflScrollColumn *self);
void       ofl_scroll_column_set_child (OflScrollColumn *self,
                                        GtkWidget       *child);

G_END_DECLS
