/* ofl-window.c: the main window (the assistant arrives in issue 3/7) */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-window.h"

struct _OflWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (OflWindow, ofl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ofl_window_class_init (OflWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ofl-window.ui");
}

static void
ofl_window_init (OflWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OflWindow *
ofl_window_new (OflApplication *application)
{
  return g_object_new (OFL_TYPE_WINDOW, "application", application, NULL);
}
