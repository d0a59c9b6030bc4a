/* ofl-email-page.c: the user email whose permissions the link works with */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-credentials.h"
#include "ofl-email-page.h"

/* How long typing must pause before a problem is pointed out, so that
 * "anna@" is not called wrong while it is still being typed. */
#define HINT_DELAY_MS 500

struct _OflEmailPage
{
  OflAssistantPage      parent_instance;

  AdwEntryRow *email_row;
  GtkLabel    *message_label;

  guint        hint_source;
};

G_DEFINE_FINAL_TYPE (OflEmailPage, ofl_email_page, OFL_TYPE_ASSISTANT_PAGE)

static char *
validate (OflEmailPage  *self,
          GError       **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->email_row));

  return ofl_credentials_normalize_email (text, error);
}

static void
show_hint (OflEmailPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));

  g_clear_handle_id (&self->hint_source, g_source_remove);

  if (stripped[0] == '\0')
    {
      ofl_assistant_page_set_field_problem (GTK_WIDGET (self->email_row), self->message_label, NULL);
      return;
    }

  email = validate (self, &error);
  ofl_assistant_page_set_field_problem (GTK_WIDGET (self->email_row), self->message_label,
                              error ? error->message : NULL);
}

static gboolean
hint_timeout_cb (gpointer user_data)
{
  OflEmailPage *self = user_data;

  self->hint_source = 0;
  show_hint (self);

  return G_SOURCE_REMOVE;
}

static void
email_changed_cb (OflEmailPage *self)
{
  g_autofree char *email = validate (self, NULL);

  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), email != NULL);

  g_clear_handle_id (&self->hint_source, g_source_remove);
  if (email != NULL)
    show_hint (self);
  else
    self->hint_source = g_timeout_add (HINT_DELAY_MS, hint_timeout_cb, self);
}

static void
entry_activated_cb (OflEmailPage *self)
{
  /* Enter on an unfinished address says what is wrong at once. */
  show_hint (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
ofl_email_page_shown (OflAssistantPage *page)
{
  OflEmailPage *self = OFL_EMAIL_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  /* Coming back to fix it: typing replaces it, End keeps it. */
  gtk_editable_select_region (GTK_EDITABLE (self->email_row), 0, -1);
}

static void
ofl_email_page_discard (OflAssistantPage *page)
{
  OflEmailPage *self = OFL_EMAIL_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  show_hint (self);
}

static gboolean
ofl_email_page_has_input (OflAssistantPage *page)
{
  OflEmailPage *self = OFL_EMAIL_PAGE (page);

  return *gtk_editable_get_text (GTK_EDITABLE (self->email_row)) != '\0';
}

static void
ofl_email_page_dispose (GObject *object)
{
  OflEmailPage *self = OFL_EMAIL_PAGE (object);

  g_clear_handle_id (&self->hint_source, g_source_remove);

  G_OBJECT_CLASS (ofl_email_page_parent_class)->dispose (object);
}

static void
ofl_email_page_class_init (OflEmailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  object_class->dispose = ofl_email_page_dispose;

  page_class->shown = ofl_email_page_shown;
  page_class->discard = ofl_email_page_discard;
  page_class->has_input = ofl_email_page_has_input;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-email-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflEmailPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, OflEmailPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
}

static void
ofl_email_page_init (OflEmailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ofl_assistant_page_name_entry_row (ADW_ENTRY_ROW (self->email_row));
  ofl_assistant_page_relate_message (GTK_WIDGET (self->email_row), GTK_WIDGET (self->message_label));
}

char *
ofl_email_page_dup_email (OflEmailPage *self)
{
  g_return_val_if_fail (OFL_IS_EMAIL_PAGE (self), NULL);

  return validate (self, NULL);
}

void
ofl_email_page_set_email (OflEmailPage *self,
                          const char   *email)
{
  g_return_if_fail (OFL_IS_EMAIL_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email ? email : "");
  show_hint (self);
}
