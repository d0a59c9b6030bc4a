/* ofl-token-page.c: paste the API token, with live validation
 *
 * The field's text lives in a GtkPasswordEntryBuffer (GTK's secure
 * memory, wiped when it is freed or changed), so the token is never in an
 * ordinary string of ours. */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-credentials.h"
#include "ofl-token-page.h"

struct _OflTokenPage
{
  OflAssistantPage              parent_instance;

  AdwPasswordEntryRow *token_row;
  GtkButton           *paste_button;
  GtkLabel            *message_label;

  GCancellable        *paste_cancellable;
};

G_DEFINE_FINAL_TYPE (OflTokenPage, ofl_token_page, OFL_TYPE_ASSISTANT_PAGE)

static void
update_validation (OflTokenPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autofree char *problem = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gboolean empty = stripped[0] == '\0';

  if (!empty)
    problem = ofl_credentials_describe_token_problem (text);

  ofl_assistant_page_set_field_problem (GTK_WIDGET (self->token_row), self->message_label, problem);
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), !empty && problem == NULL);

  if (stripped[0] != '\0')
    explicit_bzero (stripped, strlen (stripped));
}

static void
token_changed_cb (OflTokenPage *self)
{
  update_validation (self);
}

static void
paste_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OflTokenPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *text;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (text == NULL || *g_strstrip (text) == '\0')
    {
      ofl_assistant_page_set_field_problem (GTK_WIDGET (self->token_row), self->message_label,
                                  _("The clipboard has no text in it. Copy the token in Oneflow first."));
      g_free (text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text);
  gtk_editable_set_position (GTK_EDITABLE (self->token_row), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));

  /* Wipe our copy of what was on the clipboard. */
  explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
paste_clicked_cb (OflTokenPage *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  g_cancellable_cancel (self->paste_cancellable);
  g_clear_object (&self->paste_cancellable);
  self->paste_cancellable = g_cancellable_new ();

  gdk_clipboard_read_text_async (clipboard, self->paste_cancellable,
                                 paste_read_cb, g_object_ref (self));
}

static void
entry_activated_cb (OflTokenPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
ofl_token_page_shown (OflAssistantPage *page)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
  gtk_editable_select_region (GTK_EDITABLE (self->token_row), 0, -1);
}

static void
ofl_token_page_discard (OflAssistantPage *page)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (page);

  g_cancellable_cancel (self->paste_cancellable);
  /* The secure buffer wipes the old text. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  ofl_assistant_page_set_field_problem (GTK_WIDGET (self->token_row), self->message_label, NULL);
}

static gboolean
ofl_token_page_has_input (OflAssistantPage *page)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (page);

  return *gtk_editable_get_text (GTK_EDITABLE (self->token_row)) != '\0';
}

static void
ofl_token_page_dispose (GObject *object)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (object);

  g_cancellable_cancel (self->paste_cancellable);
  g_clear_object (&self->paste_cancellable);

  G_OBJECT_CLASS (ofl_token_page_parent_class)->dispose (object);
}

static void
ofl_token_page_class_init (OflTokenPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  object_class->dispose = ofl_token_page_dispose;

  page_class->shown = ofl_token_page_shown;
  page_class->discard = ofl_token_page_discard;
  page_class->has_input = ofl_token_page_has_input;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-token-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, paste_button);
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, paste_clicked_cb);
}

static void
ofl_token_page_init (OflTokenPage *self)
{
  GtkEditable *delegate;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Keep the token in GTK's wiped-on-free memory. */
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->token_row));
  if (GTK_IS_TEXT (delegate))
    {
      g_autoptr(GtkEntryBuffer) buffer = gtk_password_entry_buffer_new ();
      gtk_text_set_buffer (GTK_TEXT (delegate), buffer);
      /* No undo history: it would keep copies of the token once revealed. */
      gtk_editable_set_enable_undo (delegate, FALSE);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->paste_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Paste the token from the clipboard"),
                                  -1);
  ofl_assistant_page_name_entry_row (ADW_ENTRY_ROW (self->token_row));
  ofl_assistant_page_relate_message (GTK_WIDGET (self->token_row), GTK_WIDGET (self->message_label));
}

const char *
ofl_token_page_get_text (OflTokenPage *self)
{
  g_return_val_if_fail (OFL_IS_TOKEN_PAGE (self), "");

  return gtk_editable_get_text (GTK_EDITABLE (self->token_row));
}

void
ofl_token_page_set_text (OflTokenPage *self,
                         const char   *text)
{
  g_return_if_fail (OFL_IS_TOKEN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text ? text : "");
}
