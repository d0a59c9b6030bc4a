/* ofl-failure-card.c: a failure that leads the Connect page */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-check-row.h"
#include "ofl-error.h"
#include "ofl-failure-card.h"

struct _OflFailureCard
{
  GtkBox     parent_instance;

  GtkLabel  *error_title;
  GtkLabel  *error_label;
  GtkButton *fix_button;
  GtkButton *separate_button;
  GtkButton *copy_button;
};

G_DEFINE_FINAL_TYPE (OflFailureCard, ofl_failure_card, GTK_TYPE_BOX)

enum {
  FIX,
  SEPARATE,
  COPY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ofl_failure_card_show (OflFailureCard *self,
                       const GError   *error,
                       const char     *message,
                       const char     *fix_label,
                       gboolean        offer_separate)
{
  const char *title;
  g_autofree char *description = NULL;

  g_return_if_fail (OFL_IS_FAILURE_CARD (self));
  g_return_if_fail (error != NULL);

  title = ofl_error_get_title (error);
  gtk_label_set_label (self->error_title, title);
  gtk_label_set_label (self->error_label, message);
  gtk_button_set_label (self->fix_button, fix_label);
  gtk_widget_set_visible (GTK_WIDGET (self->separate_button), offer_separate);

  /* Named and described before it shows and the fix button takes the
   * focus, so what a screen reader reads on that focus is already the new
   * failure. The fix button is described by the title and message, as
   * text: GTK 4.18 reads no description through a described-by relation
   * to these labels. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                  -1);
  description = ofl_describe_for_screen_reader (title, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fix_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  ofl_failure_card_focus (self);
}

void
ofl_failure_card_focus (OflFailureCard *self)
{
  g_return_if_fail (OFL_IS_FAILURE_CARD (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->fix_button));
}

static void
fix_clicked_cb (OflFailureCard *self)
{
  g_signal_emit (self, signals[FIX], 0);
}

static void
separate_clicked_cb (OflFailureCard *self)
{
  g_signal_emit (self, signals[SEPARATE], 0);
}

static void
copy_clicked_cb (OflFailureCard *self)
{
  g_signal_emit (self, signals[COPY], 0);
}

static void
ofl_failure_card_class_init (OflFailureCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  for (guint i = 0; i < N_SIGNALS; i++)
    signals[i] = g_signal_new ((const char *[]) { "fix", "separate", "copy" }[i],
                               G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-failure-card.ui");
  gtk_widget_class_bind_template_child (widget_class, OflFailureCard, error_title);
  gtk_widget_class_bind_template_child (widget_class, OflFailureCard, error_label);
  gtk_widget_class_bind_template_child (widget_class, OflFailureCard, fix_button);
  gtk_widget_class_bind_template_child (widget_class, OflFailureCard, separate_button);
  gtk_widget_class_bind_template_child (widget_class, OflFailureCard, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, separate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
}

static void
ofl_failure_card_init (OflFailureCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
