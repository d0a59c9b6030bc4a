/* ofl-enable-page.c: step 1, enable the Custom Integration */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-enable-page.h"

struct _OflEnablePage
{
  OflAssistantPage         parent_instance;

  GtkCheckButton *done_check;
};

G_DEFINE_FINAL_TYPE (OflEnablePage, ofl_enable_page, OFL_TYPE_ASSISTANT_PAGE)

static void
done_check_toggled_cb (OflEnablePage *self)
{
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), gtk_check_button_get_active (self->done_check));
}

static void
ofl_enable_page_shown (OflAssistantPage *page)
{
  OflEnablePage *self = OFL_ENABLE_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->done_check));
}

static void
ofl_enable_page_discard (OflAssistantPage *page)
{
  OflEnablePage *self = OFL_ENABLE_PAGE (page);

  gtk_check_button_set_active (self->done_check, FALSE);
}

static void
ofl_enable_page_class_init (OflEnablePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  page_class->shown = ofl_enable_page_shown;
  page_class->discard = ofl_enable_page_discard;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-enable-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflEnablePage, done_check);
  gtk_widget_class_bind_template_callback (widget_class, done_check_toggled_cb);
}

static void
ofl_enable_page_init (OflEnablePage *self)
{
  /* The tick box has no label of its own: the row, as its activatable
   * widget, names it by its title. */
  gtk_widget_init_template (GTK_WIDGET (self));
}
