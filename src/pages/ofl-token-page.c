/* ofl-token-page.c: paste the API token, with calm validation
 *
 * While the token is typed or pasted the field shows a neutral count
 * ("39 of 40 characters"). It turns red at once only for a character no
 * token can have; an unfinished token is called wrong only when the
 * person leaves the field or presses Enter. A valid token gets a quiet
 * sign.
 *
 * The field's text lives in an OflSecretBuffer (GTK's secure memory,
 * wiped when it is freed or changed, and masked for anyone but us), so
 * the token is never in an ordinary string of ours. */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-credentials.h"
#include "ofl-secret-buffer.h"
#include "ofl-token-page.h"

struct _OflTokenPage
{
  OflAssistantPage  parent_instance;

  GtkPasswordEntry *token_row;
  GtkButton        *paste_button;
  GtkLabel         *message_label;
  GtkWidget        *valid_icon;
  GtkEventController *focus;   /* owned by the field */
  gboolean          outside_problem;   /* shown until the value changes */

  OflSecretBuffer  *buffer;
  GCancellable     *paste_cancellable;
};

G_DEFINE_FINAL_TYPE (OflTokenPage, ofl_token_page, OFL_TYPE_ASSISTANT_PAGE)

static void
show_state (OflTokenPage  *self,
            OflFieldState  state,
            const char    *message)
{
  ofl_assistant_page_set_field_state (GTK_WIDGET (self->token_row), self->message_label,
                                      self->valid_icon, state, message);
}

/* @commit: the person left the field or pressed Enter, so an unfinished
 * token is a problem now, not a count. */
static void
update_validation (OflTokenPage *self,
                   gboolean      commit)
{
  const char *text = ofl_token_page_get_text (self);
  glong n_chars = 0;
  OflTokenState state = ofl_credentials_check_token (text, &n_chars);

  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), state == OFL_TOKEN_STATE_VALID);

  switch (state)
    {
    case OFL_TOKEN_STATE_EMPTY:
      show_state (self, OFL_FIELD_NEUTRAL, NULL);
      break;

    case OFL_TOKEN_STATE_VALID:
      /* Translators: shown under a field whose value is valid */
      show_state (self, OFL_FIELD_VALID, _("Looks right"));
      break;

    case OFL_TOKEN_STATE_LENGTH:
      if (!commit)
        {
          g_autofree char *count = ofl_credentials_describe_token_problem (text);

          show_state (self, OFL_FIELD_NEUTRAL, count);
          break;
        }
      G_GNUC_FALLTHROUGH;

    case OFL_TOKEN_STATE_INVALID:
    default:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(OflSecret) token = ofl_credentials_normalize_token (text, &error);

        show_state (self, OFL_FIELD_INVALID, error ? error->message : NULL);
      }
      break;
    }
}

static void
token_changed_cb (OflTokenPage *self)
{
  self->outside_problem = FALSE;
  update_validation (self, FALSE);
}

static void
focus_leave_cb (OflTokenPage *self)
{
  /* The reason the Connect page gave stays until the value changes. */
  if (!self->outside_problem)
    update_validation (self, TRUE);
}

static void
visibility_changed_cb (OflTokenPage *self,
                       GParamSpec   *pspec,
                       GtkText      *text)
{
  /* The peek button shows the token: then the buffer's text is the token. */
  ofl_secret_buffer_set_revealed (self->buffer, gtk_text_get_visibility (text));
}

static void
text_inserted_cb (GtkText *text)
{
  /* The text is in the buffer by now; no later handler hears it. */
  if (!gtk_text_get_visibility (text))
    g_signal_stop_emission_by_name (text, "insert-text");
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
      show_state (self, OFL_FIELD_INVALID,
                  _("The clipboard has no text in it. Copy the token in Oneflow first."));
      g_free (text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text);
  gtk_editable_set_position (GTK_EDITABLE (self->token_row), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
  /* A paste is finished: what is wrong with it can be said at once. */
  update_validation (self, TRUE);

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
  /* Enter on an unfinished token says what is wrong. */
  update_validation (self, TRUE);
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
  update_validation (self, FALSE);
}

static gboolean
ofl_token_page_has_input (OflAssistantPage *page)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (page);

  return *ofl_token_page_get_text (self) != '\0';
}

static void
ofl_token_page_dispose (GObject *object)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (object);

  g_cancellable_cancel (self->paste_cancellable);
  g_clear_object (&self->paste_cancellable);
  /* The field loses the focus as it goes: that is not the person leaving it. */
  if (self->focus != NULL)
    g_signal_handlers_disconnect_by_func (self->focus, focus_leave_cb, self);
  self->focus = NULL;

  G_OBJECT_CLASS (ofl_token_page_parent_class)->dispose (object);
}

static void
ofl_token_page_finalize (GObject *object)
{
  OflTokenPage *self = OFL_TOKEN_PAGE (object);

  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (ofl_token_page_parent_class)->finalize (object);
}

static void
ofl_token_page_class_init (OflTokenPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  object_class->dispose = ofl_token_page_dispose;
  object_class->finalize = ofl_token_page_finalize;

  page_class->shown = ofl_token_page_shown;
  page_class->discard = ofl_token_page_discard;
  page_class->has_input = ofl_token_page_has_input;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-token-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, paste_button);
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, OflTokenPage, valid_icon);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, paste_clicked_cb);
}

static void
ofl_token_page_init (OflTokenPage *self)
{
  GtkEditable *delegate;
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The token stays in GTK's wiped-on-free memory, and what GTK and
   * assistive technologies read of a hidden field is a mask. */
  self->buffer = OFL_SECRET_BUFFER (ofl_secret_buffer_new ());
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->token_row));
  g_assert (GTK_IS_TEXT (delegate));
  gtk_text_set_buffer (GTK_TEXT (delegate), GTK_ENTRY_BUFFER (self->buffer));
  /* No undo history: it would keep copies of the token once revealed. */
  gtk_editable_set_enable_undo (delegate, FALSE);
  ofl_secret_buffer_set_revealed (self->buffer, gtk_text_get_visibility (GTK_TEXT (delegate)));
  g_signal_connect_object (delegate, "notify::visibility", G_CALLBACK (visibility_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* GTK before 4.24 (4.18 measured) sends what is typed into a hidden
   * field to assistive technologies in clear, in an AT-SPI text-changed
   * event from an "insert-text" handler connected after this one; 4.24
   * sends the mask, which a screen reader may say as it is typed. */
  if (gtk_check_version (4, 24, 0) != NULL)
    g_signal_connect_after (delegate, "insert-text", G_CALLBACK (text_inserted_cb), NULL);

  /* Leaving the field finishes what was typed. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->token_row), focus);
  self->focus = focus;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->paste_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Paste the token from the clipboard"),
                                  -1);
  ofl_assistant_page_relate_message (GTK_WIDGET (self->token_row), GTK_WIDGET (self->message_label));
}

const char *
ofl_token_page_get_text (OflTokenPage *self)
{
  g_return_val_if_fail (OFL_IS_TOKEN_PAGE (self), "");

  return ofl_secret_buffer_get_secret (self->buffer);
}

void
ofl_token_page_set_text (OflTokenPage *self,
                         const char   *text)
{
  g_return_if_fail (OFL_IS_TOKEN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text ? text : "");
}

void
ofl_token_page_show_problem (OflTokenPage *self,
                             const char   *message)
{
  g_return_if_fail (OFL_IS_TOKEN_PAGE (self));

  self->outside_problem = message != NULL && *message != '\0';
  if (!self->outside_problem)
    {
      update_validation (self, FALSE);
      return;
    }

  show_state (self, OFL_FIELD_INVALID, message);
}
