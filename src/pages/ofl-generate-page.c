/* ofl-generate-page.c: step 2, generate the API token in Oneflow */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-generate-page.h"

struct _OflGeneratePage
{
  OflAssistantPage    parent_instance;

  GtkButton    *open_button;
  AdwActionRow *first_step_row;
  GtkWidget    *warning_box;
};

G_DEFINE_FINAL_TYPE (OflGeneratePage, ofl_generate_page, OFL_TYPE_ASSISTANT_PAGE)

static void
ofl_generate_page_shown (OflAssistantPage *page)
{
  OflGeneratePage *self = OFL_GENERATE_PAGE (page);

  /* Nothing to type here, and “Open Oneflow” leaves the app: focus on it
   * would make Enter open a browser instead of going on. The first
   * instruction takes the focus instead, so a screen reader reads it,
   * Enter goes on (the assistant's Enter is Next on anything that is not
   * a button or a field), and Shift+Tab reaches Open Oneflow. */
  gtk_widget_grab_focus (GTK_WIDGET (self->first_step_row));
}

static void
ofl_generate_page_class_init (OflGeneratePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  page_class->shown = ofl_generate_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-generate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflGeneratePage, open_button);
  gtk_widget_class_bind_template_child (widget_class, OflGeneratePage, first_step_row);
  gtk_widget_class_bind_template_child (widget_class, OflGeneratePage, warning_box);
}

static void
ofl_generate_page_init (OflGeneratePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Nothing to type here: the person only reads and acts in Oneflow. */
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), TRUE);
}
