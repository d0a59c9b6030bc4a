/* ofl-connect-page.c: step 4, the checks against Oneflow, then the keyring
 *
 * Apply asks the link service to link (ofl_links_link_async), with a
 * verifier whose steps fill in a checklist as each parallel check
 * returns. The service stores the token only when all pass. A cancelled
 * apply (Escape, Cancel, closing the window) stores nothing and touches
 * no widget.
 *
 * Re-linking (ofl_connect_page_set_relink) verifies against the link's own
 * API URL, and the service insists on the link's account: the old secret
 * is left alone until the new token has passed every check. */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-check-row.h"
#include "ofl-checklist.h"
#include "ofl-config.h"
#include "ofl-connect-page-private.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-failure-card.h"
#include "ofl-verifier.h"

struct _OflConnectPage
{
  OflAssistantPage               parent_instance;

  GtkLabel             *heading;
  GtkLabel             *intro_label;
  AdwActionRow         *email_summary_row;
  AdwActionRow         *token_summary_row;
  GtkWidget            *button_box;
  GtkButton            *connect_button;
  GtkButton            *stop_button;
  OflChecklist         *checklist;
  OflFailureCard       *error_box;

  OflClient            *client;
  GError               *client_error;
  OflLinks             *links;
  OflVerifier          *verifier;

  /* What the person should know about the link just made: a cap hit. */
  char                 *limits_note;

  /* Re-linking: the link being repaired, and a client for its API URL. */
  OflLink              *relink;
  OflClient            *relink_client;
  GError               *relink_client_error;
  /* "Add as a Separate Link" was chosen: another account is welcome. */
  gboolean              allow_other_account;

  OflSecret            *token;
  char                 *email;

  GError               *error;
  const char           *fix_page;
  OflLink              *link;
  gboolean              running;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (OflConnectPage, ofl_connect_page, OFL_TYPE_ASSISTANT_PAGE)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  FIX_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Connect, or Stop Checking while the checks run. The new one shows and
 * takes the focus from the old one before the old one hides. */
static void
show_button (OflConnectPage *self,
             gboolean        stop)
{
  GtkWidget *shown = GTK_WIDGET (stop ? self->stop_button : self->connect_button);
  GtkWidget *hidden = GTK_WIDGET (stop ? self->connect_button : self->stop_button);
  gboolean had_focus = gtk_widget_has_focus (hidden);

  gtk_widget_set_visible (self->button_box, TRUE);
  gtk_widget_set_visible (shown, TRUE);
  if (had_focus)
    gtk_widget_grab_focus (shown);
  gtk_widget_set_visible (hidden, FALSE);
}

static void
set_running (OflConnectPage *self,
             gboolean        running)
{
  if (self->running == running)
    return;

  self->running = running;
  show_button (self, running);
  /* A check started from anywhere (Enter) puts the focus on the way to stop it. */
  if (running)
    gtk_widget_grab_focus (GTK_WIDGET (self->stop_button));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, running, -1);
  /* What was entered is not changed under a running check. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_summary_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_summary_row), !running);
  ofl_checklist_set_busy (self->checklist, running);
  if (running)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->stop_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), !running && self->token != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
reset_checks (OflConnectPage *self,
              gboolean        visible)
{
  ofl_checklist_reset (self->checklist);
  gtk_widget_set_visible (GTK_WIDGET (self->checklist), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->heading), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), TRUE);
  g_clear_error (&self->error);
  self->fix_page = NULL;
}

static void
step_finished_cb (OflVerifier    *verifier,
                  guint           step,
                  const GError   *error,
                  gpointer        detail,
                  OflConnectPage *self)
{
  const char *title;

  if (step >= OFL_VERIFY_N_STEPS || !self->running ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  title = ofl_checklist_show_result (self->checklist, step, error, detail);

  /* Focus is on Stop Checking: its description follows the checks as
   * they finish, which a screen reader reads out for the focused
   * control; the e2e test hears it through AT-SPI. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->stop_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                  -1);
}

static void
show_failure (OflConnectPage *self,
              const GError   *error,
              gboolean        offer_separate)
{
  g_autoptr(GString) text = g_string_new (error->message);
  const char *fix_label;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);

  ofl_checklist_finish (self->checklist, error);

  if (g_error_matches (error, OFL_ERROR, OFL_ERROR_RATE_LIMITED))
    {
      guint seconds = ofl_error_get_retry_after (error);

      if (seconds > 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);
          g_autofree char *clock = g_date_time_format (then, "%X");

          g_string_append_c (text, ' ');
          /* Translators: %s is a time of day, e.g. 14:05:30 */
          g_string_append_printf (text, _("You can try again at %s."), clock);
        }
    }

  switch (ofl_error_get_fix (error))
    {
    case OFL_ERROR_FIX_TOKEN:
      self->fix_page = "token";
      fix_label = _("Change the _Token");
      break;
    case OFL_ERROR_FIX_EMAIL:
      self->fix_page = "email";
      fix_label = _("Change the _Email");
      break;
    case OFL_ERROR_FIX_RETRY:
    default:
      self->fix_page = NULL;
      fix_label = _("_Try Again");
      break;
    }

  /* The failure takes the place of the introduction, at the top, and
   * has the way forward: the big Connect button goes. */
  gtk_widget_set_visible (GTK_WIDGET (self->heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), FALSE);
  ofl_failure_card_show (self->error_box, error, text->str, fix_label, offer_separate);
  gtk_widget_set_visible (self->button_box, FALSE);
}

/* Re-linking talks to the API the link was made with. */
static OflClient *
current_client (OflConnectPage *self)
{
  return self->relink != NULL ? self->relink_client : self->client;
}

static gboolean
is_cancelled (GTask        *task,
              const GError *error)
{
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return TRUE;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
return_cancelled (GTask *task)
{
  OflConnectPage *self = g_task_get_source_object (task);

  /* After dispose (the window was closed) no widget is touched. */
  if (!self->disposed)
    {
      ofl_checklist_stop (self->checklist);
      set_running (self, FALSE);
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The check was cancelled."));
}

static void
linked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OflConnectPage *self = g_task_get_source_object (task);
  g_autoptr(OflLinkResult) linked = NULL;
  g_autoptr(GError) error = NULL;

  linked = ofl_links_link_finish (OFL_LINKS (object), result, &error);
  if (is_cancelled (task, error))
    {
      return_cancelled (task);
      return;
    }

  if (linked == NULL)
    {
      set_running (self, FALSE);
      /* A re-link with another account's token: it may be kept as a
       * link of its own instead. */
      show_failure (self, error,
                    self->relink != NULL && g_error_matches (error, OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ofl_checklist_finish (self->checklist, NULL);

  g_set_object (&self->link, linked->link);
  g_free (self->limits_note);
  self->limits_note = g_steal_pointer (&linked->limits_note);
  set_running (self, FALSE);
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), FALSE);
  gtk_widget_set_visible (self->button_box, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
ofl_connect_page_apply_async (OflAssistantPage             *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  OflConnectPage *self = OFL_CONNECT_PAGE (page);
  g_autoptr(GTask) task = NULL;
  OflClient *client;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ofl_connect_page_apply_async);

  g_clear_object (&self->link);
  g_clear_pointer (&self->limits_note, g_free);
  reset_checks (self, TRUE);
  set_running (self, TRUE);
  client = current_client (self);

  if (client == NULL || self->links == NULL || self->token == NULL || self->email == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (self->relink != NULL && self->relink_client_error != NULL)
        error = g_error_copy (self->relink_client_error);
      else if (self->client_error)
        error = g_error_copy (self->client_error);
      else
        error = g_error_new_literal (OFL_ERROR, OFL_ERROR_UNEXPECTED_RESPONSE,
                                     _("Oneflow Link is not set up to reach Oneflow."));
      gtk_widget_set_visible (GTK_WIDGET (self->checklist), FALSE);
      set_running (self, FALSE);
      show_failure (self, error, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A new verifier per attempt: one verification at a time per verifier,
   * and a cancelled one may still be winding down. */
  if (self->verifier)
    g_signal_handlers_disconnect_by_func (self->verifier, step_finished_cb, self);
  g_clear_object (&self->verifier);
  self->verifier = ofl_verifier_new (client);
  g_signal_connect_object (self->verifier, "step-finished",
                           G_CALLBACK (step_finished_cb), self, 0);

  ofl_links_link_async (self->links, self->verifier, self->token, self->email,
                        self->relink, self->allow_other_account, cancellable,
                        linked_cb, g_steal_pointer (&task));
}

static gboolean
ofl_connect_page_apply_finish (OflAssistantPage       *page,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ofl_connect_page_shown (OflAssistantPage *page)
{
  OflConnectPage *self = OFL_CONNECT_PAGE (page);

  if (gtk_widget_get_visible (GTK_WIDGET (self->error_box)))
    ofl_failure_card_focus (self->error_box);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->connect_button));
}

static void
ofl_connect_page_discard (OflAssistantPage *page)
{
  ofl_connect_page_clear (OFL_CONNECT_PAGE (page));
}

static void
fix_clicked_cb (OflConnectPage *self)
{
  if (self->fix_page != NULL)
    g_signal_emit (self, signals[FIX_REQUESTED], 0, self->fix_page, self->error ? self->error->message : NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
change_email_cb (OflConnectPage *self)
{
  g_signal_emit (self, signals[FIX_REQUESTED], 0, "email", NULL);
}

static void
change_token_cb (OflConnectPage *self)
{
  g_signal_emit (self, signals[FIX_REQUESTED], 0, "token", NULL);
}

/* What pressing Connect will do; a re-link also says what stays. */
static void
update_intro (OflConnectPage *self)
{
  const char *text = self->relink != NULL
    ? _("When you press Connect, Oneflow Link checks the new token and the email with Oneflow. "
        "The link you are repairing stays as it is until every check passes.")
    : _("When you press Connect, Oneflow Link checks the token and the email with Oneflow. "
        "The token is kept in your keyring only if every check passes.");

  gtk_label_set_label (self->intro_label, text);
}

static void
separate_clicked_cb (OflConnectPage *self)
{
  /* Verified again, then saved under the other account's attributes: a
   * new item, so the link being repaired is not touched. */
  self->allow_other_account = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

static void
copy_clicked_cb (OflConnectPage *self)
{
  g_autofree char *details = NULL;

  if (self->error == NULL)
    return;

  details = ofl_error_format_diagnostics (self->error,
                                          current_client (self) ? ofl_client_get_base_url (current_client (self)) : NULL);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), details);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s",
                              _("Details copied. Paste them in a message to IT support."));
}

static void
ofl_connect_page_dispose (GObject *object)
{
  OflConnectPage *self = OFL_CONNECT_PAGE (object);

  self->disposed = TRUE;
  if (self->verifier)
    g_signal_handlers_disconnect_by_func (self->verifier, step_finished_cb, self);
  g_clear_object (&self->verifier);
  g_clear_pointer (&self->token, ofl_secret_free);

  G_OBJECT_CLASS (ofl_connect_page_parent_class)->dispose (object);
}

static void
ofl_connect_page_finalize (GObject *object)
{
  OflConnectPage *self = OFL_CONNECT_PAGE (object);

  g_clear_error (&self->error);
  g_clear_error (&self->client_error);
  g_clear_object (&self->client);
  g_clear_object (&self->links);
  g_clear_object (&self->link);
  g_clear_pointer (&self->limits_note, g_free);
  g_clear_object (&self->relink);
  g_clear_object (&self->relink_client);
  g_clear_error (&self->relink_client_error);
  g_clear_pointer (&self->email, g_free);

  G_OBJECT_CLASS (ofl_connect_page_parent_class)->finalize (object);
}

static void
ofl_connect_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OflConnectPage *self = OFL_CONNECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_connect_page_class_init (OflConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  OflAssistantPageClass *page_class = OFL_ASSISTANT_PAGE_CLASS (klass);

  object_class->dispose = ofl_connect_page_dispose;
  object_class->finalize = ofl_connect_page_finalize;
  object_class->get_property = ofl_connect_page_get_property;

  page_class->shown = ofl_connect_page_shown;
  page_class->apply_async = ofl_connect_page_apply_async;
  page_class->apply_finish = ofl_connect_page_apply_finish;
  page_class->discard = ofl_connect_page_discard;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FIX_REQUESTED] =
    g_signal_new ("fix-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (OFL_TYPE_CHECKLIST);
  g_type_ensure (OFL_TYPE_FAILURE_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, heading);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, email_summary_row);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, token_summary_row);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, button_box);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, error_box);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, separate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_email_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_token_cb);
}

static void
ofl_connect_page_init (OflConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_intro (self);
}

void
ofl_connect_page_set_services (OflConnectPage *self,
                               OflClient      *client,
                               const GError   *client_error,
                               OflLinks       *links)
{
  g_return_if_fail (OFL_IS_CONNECT_PAGE (self));

  g_set_object (&self->client, client);
  g_set_object (&self->links, links);
  g_clear_error (&self->client_error);
  if (client_error)
    self->client_error = g_error_copy (client_error);
}

void
ofl_connect_page_set_credentials (OflConnectPage *self,
                                  const char     *token,
                                  const char     *email)
{
  g_autofree char *masked = NULL;

  g_return_if_fail (OFL_IS_CONNECT_PAGE (self));

  g_clear_pointer (&self->token, ofl_secret_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_object (&self->link);
  g_clear_pointer (&self->limits_note, g_free);
  self->allow_other_account = FALSE;

  if (token != NULL)
    self->token = ofl_credentials_normalize_token (token, NULL);
  self->email = g_strdup (email);

  masked = self->token ? ofl_credentials_mask_token (self->token) : g_strdup ("");
  adw_action_row_set_subtitle (self->email_summary_row, self->email ? self->email : "");
  adw_action_row_set_subtitle (self->token_summary_row, masked);
  /* Translators: read by screen readers for the masked token "•••• 3f9a" */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_summary_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Only the last four characters are shown"),
                                  -1);

  reset_checks (self, FALSE);
  show_button (self, FALSE);
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), self->token != NULL && self->email != NULL);
}

void
ofl_connect_page_clear (OflConnectPage *self)
{
  g_return_if_fail (OFL_IS_CONNECT_PAGE (self));

  ofl_connect_page_set_credentials (self, NULL, NULL);
}

OflLink *
ofl_connect_page_get_link (OflConnectPage *self)
{
  g_return_val_if_fail (OFL_IS_CONNECT_PAGE (self), NULL);

  return self->link;
}

/* What the person should know about the link just made (a cap on what
 * was kept), or NULL. */
const char *
ofl_connect_page_get_limits_note (OflConnectPage *self)
{
  g_return_val_if_fail (OFL_IS_CONNECT_PAGE (self), NULL);

  return self->limits_note;
}

const GError *
ofl_connect_page_get_error (OflConnectPage *self)
{
  g_return_val_if_fail (OFL_IS_CONNECT_PAGE (self), NULL);

  return self->error;
}

void
ofl_connect_page_set_relink (OflConnectPage *self,
                             OflLink        *link)
{
  g_return_if_fail (OFL_IS_CONNECT_PAGE (self));
  g_return_if_fail (link == NULL || OFL_IS_LINK (link));

  g_set_object (&self->relink, link);
  update_intro (self);
  g_clear_object (&self->relink_client);
  g_clear_error (&self->relink_client_error);
  self->allow_other_account = FALSE;

  if (link != NULL)
    self->relink_client = ofl_client_new (ofl_link_get_api_url (link),
                                          ofl_config_get_request_timeout (),
                                          &self->relink_client_error);
}

OflLink *
ofl_connect_page_get_relink (OflConnectPage *self)
{
  g_return_val_if_fail (OFL_IS_CONNECT_PAGE (self), NULL);

  return self->relink;
}
