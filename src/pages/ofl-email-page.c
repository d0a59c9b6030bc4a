/* ofl-email-page.c: the user email whose permissions the link works with
 *
 * Calm validation, as on the token page: no red while an address is
 * still being typed ("anna@" is not wrong yet), red at once only for a
 * character no address can have, and a problem is said when the person
 * leaves the field or presses Enter. A valid address gets a quiet sign. */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-credentials.h"
#include "ofl-email-page.h"

struct _OflEmailPage
{
  OflAssistantPage  parent_instance;

  AdwEntryRow      *email_row;
  GtkLabel         *message_label;
  GtkWidget        *valid_icon;
  GtkEventController *focus;   /* owned by the field */
  gboolean          outside_problem;   /* shown until the value changes */
};

G_DEFINE_FINAL_TYPE (OflEmailPage, ofl_email_page, OFL_TYPE_ASSISTANT_PAGE)

static char *
validate (OflEmailPage  *self,
          GError       **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->email_row));

  return ofl_credentials_normalize_email (text, error);
}

static gboolean
is_address_char (gunichar c)
{
  /* What an unquoted address (RFC 5322 atext, dots and "@") is made of. */
  return c < 0x80 && (g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~-.@", (int) c) != NULL);
}

/* A problem no more typing can fix (a space inside, a comma), or NULL. */
static char *
describe_bad_char (const char *stripped)
{
  if (!g_utf8_validate (stripped, -1, NULL))
    return NULL;    /* ofl_credentials_normalize_email () says so */

  for (const char *p = stripped; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[7] = { 0 };

      if (is_address_char (c))
        continue;
      if (g_unichar_isspace (c))
        return g_strdup (_("An email address cannot contain spaces."));

      g_unichar_to_utf8 (c, utf8);
      /* Translators: %s is one character, e.g. "," */
      return g_strdup_printf (_("An email address cannot contain “%s”."), utf8);
    }

  return NULL;
}

static void
show_state (OflEmailPage  *self,
            OflFieldState  state,
            const char    *message)
{
  ofl_assistant_page_set_field_state (GTK_WIDGET (self->email_row), self->message_label,
                                      self->valid_icon, state, message);
}

/* @commit: the person left the field or pressed Enter. */
static void
update_validation (OflEmailPage *self,
                   gboolean      commit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = validate (self, &error);
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  g_autofree char *bad_char = NULL;

  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), email != NULL);

  if (email != NULL)
    /* Translators: shown under a field whose value is valid */
    show_state (self, OFL_FIELD_VALID, _("Looks right"));
  else if (stripped[0] == '\0')
    show_state (self, OFL_FIELD_NEUTRAL, NULL);
  else if ((bad_char = describe_bad_char (stripped)) != NULL)
    show_state (self, OFL_FIELD_INVALID, bad_char);
  else if (commit)
    show_state (self, OFL_FIELD_INVALID, error->message);
  else
    show_state (self, OFL_FIELD_NEUTRAL, NULL);
}

static void
email_changed_cb (OflEmailPage *self)
{
  self->outside_problem = FALSE;
  update_validation (self, FALSE);
}

static void
focus_leave_cb (OflEmailPage *self)
{
  /* The reason the Connect page gave stays until the value changes. */
  if (!self->outside_problem)
    update_validation (self, TRUE);
}

static void
entry_activated_cb (OflEmailPage *self)
{
  /* Enter on an unfinished address says what is wrong at once. */
  update_validation (self, TRUE);
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
  update_validation (self, FALSE);
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

  /* The field loses the focus as it goes: that is not the person leaving it. */
  if (self->focus != NULL)
    g_signal_handlers_disconnect_by_func (self->focus, focus_leave_cb, self);
  self->focus = NULL;

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
  gtk_widget_class_bind_template_child (widget_class, OflEmailPage, valid_icon);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
}

static void
ofl_email_page_init (OflEmailPage *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Leaving the field finishes what was typed. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->email_row), focus);
  self->focus = focus;

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
  update_validation (self, FALSE);
}

void
ofl_email_page_show_problem (OflEmailPage *self,
                             const char   *message)
{
  g_return_if_fail (OFL_IS_EMAIL_PAGE (self));

  self->outside_problem = message != NULL && *message != '\0';
  if (!self->outside_problem)
    {
      update_validation (self, FALSE);
      return;
    }

  show_state (self, OFL_FIELD_INVALID, message);
}
