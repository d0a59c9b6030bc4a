/* ofl-welcome-page.c: the first thing a person sees with no link yet */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-welcome-page.h"

struct _OflWelcomePage
{
  AdwBin         parent_instance;

  AdwStatusPage *status_page;
  GtkButton     *start_button;
};

G_DEFINE_FINAL_TYPE (OflWelcomePage, ofl_welcome_page, ADW_TYPE_BIN)

static gboolean
ofl_welcome_page_grab_focus (GtkWidget *widget)
{
  OflWelcomePage *self = OFL_WELCOME_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}

/* The picture follows the style: the app icon's white sheet would glare
 * on a dark window, so dark style has its own drawing (in the resources). */
static void
update_picture (OflWelcomePage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconTheme *theme;

  if (gtk_widget_get_root (widget) == NULL)
    return;

  if (adw_style_manager_get_dark (adw_style_manager_get_for_display (gtk_widget_get_display (widget))))
    {
      adw_status_page_set_icon_name (self->status_page, "ofl-welcome-dark");
      return;
    }

  /* The Devel build's own icon when installed, else the app's (which the
   * resources always carry). */
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  adw_status_page_set_icon_name (self->status_page,
                                 gtk_icon_theme_has_icon (theme, APP_ID) ? APP_ID : BASE_APP_ID);
}

static void
ofl_welcome_page_root (GtkWidget *widget)
{
  OflWelcomePage *self = OFL_WELCOME_PAGE (widget);
  AdwStyleManager *style = adw_style_manager_get_for_display (gtk_widget_get_display (widget));

  GTK_WIDGET_CLASS (ofl_welcome_page_parent_class)->root (widget);

  g_signal_connect_object (style, "notify::dark", G_CALLBACK (update_picture), self, G_CONNECT_SWAPPED);
  update_picture (self);
}

static void
ofl_welcome_page_unroot (GtkWidget *widget)
{
  AdwStyleManager *style = adw_style_manager_get_for_display (gtk_widget_get_display (widget));

  g_signal_handlers_disconnect_by_func (style, update_picture, widget);

  GTK_WIDGET_CLASS (ofl_welcome_page_parent_class)->unroot (widget);
}

static void
ofl_welcome_page_class_init (OflWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->grab_focus = ofl_welcome_page_grab_focus;
  widget_class->root = ofl_welcome_page_root;
  widget_class->unroot = ofl_welcome_page_unroot;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, OflWelcomePage, start_button);
}

static void
ofl_welcome_page_init (OflWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
