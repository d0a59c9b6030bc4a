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

#include "ofl-config.h"
#include "ofl-connect-page.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-verifier.h"

typedef enum {
  CHECK_WAITING,
  CHECK_OK,
  CHECK_FAILED,
  CHECK_SKIPPED,
} CheckState;

typedef struct {
  AdwActionRow *row;
  GtkStack     *state_stack;
  CheckState    state;
  GError       *error;
} Check;

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
  AdwPreferencesGroup  *checklist_group;
  GtkBox               *error_box;
  GtkLabel             *error_title;
  GtkLabel             *error_label;
  GtkButton            *fix_button;
  GtkButton            *copy_button;
  GtkButton            *separate_button;
  GtkWidget            *checklist;

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

  Check                 checks[OFL_VERIFY_N_STEPS];
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

static const char *
check_title (OflVerifyStep step,
             CheckState    state)
{
  switch (step)
    {
    case OFL_VERIFY_STEP_TOKEN:
      switch (state)
        {
        case CHECK_OK:     return _("Token accepted");
        case CHECK_FAILED: return _("Token not accepted");
        case CHECK_WAITING:
        case CHECK_SKIPPED:
        default:           return _("Checking the token");
        }
    case OFL_VERIFY_STEP_ACCOUNT:
      switch (state)
        {
        case CHECK_FAILED: return _("Account not found");
        case CHECK_OK:
        case CHECK_WAITING:
        case CHECK_SKIPPED:
        default:           return _("Finding the Oneflow account");
        }
    case OFL_VERIFY_STEP_USER:
      switch (state)
        {
        case CHECK_OK:     return _("User found and active");
        case CHECK_FAILED: return _("This user cannot be used");
        case CHECK_WAITING:
        case CHECK_SKIPPED:
        default:           return _("Looking up the user");
        }
    case OFL_VERIFY_STEP_WORKSPACES:
    case OFL_VERIFY_N_STEPS:
    default:
      switch (state)
        {
        case CHECK_FAILED: return _("Workspaces could not be read");
        case CHECK_OK:
        case CHECK_WAITING:
        case CHECK_SKIPPED:
        default:           return _("Checking which workspaces the user can reach");
        }
    }
}

/* The title of a line that failed for a reason other than Oneflow's
 * "no" (a time-out, a 429): the check could not be made. */
static const char *
check_not_made_title (OflVerifyStep step)
{
  switch (step)
    {
    case OFL_VERIFY_STEP_TOKEN:      return _("Could not check the token");
    case OFL_VERIFY_STEP_ACCOUNT:    return _("Could not find the account");
    case OFL_VERIFY_STEP_USER:       return _("Could not look up the user");
    case OFL_VERIFY_STEP_WORKSPACES:
    case OFL_VERIFY_N_STEPS:
    default:                         return _("Could not read the workspaces");
    }
}

/* A heading and the words under it, as one description set as text:
 * GTK 4.18 read an empty description through a described-by relation to
 * the labels that show them (measured with the e2e test). */
static char *
join_description (const char *heading,
                  const char *text)
{
  if (text == NULL || *text == '\0' || g_strcmp0 (heading, text) == 0)
    return g_strdup (heading);

  /* Translators: how a screen reader hears a heading and the sentence
   * under it, e.g. "Failed: Oneflow did not accept this API token." */
  return g_strdup_printf (_("%s: %s"), heading, text);
}

/* What a check's state icon says, for a screen reader. */
static const char *
check_state_word (CheckState state)
{
  switch (state)
    {
    case CHECK_OK:      return _("Passed");
    case CHECK_FAILED:  return _("Failed");
    case CHECK_SKIPPED: return _("Not checked");
    case CHECK_WAITING:
    default:            return _("Checking");
    }
}

static void
set_check (OflConnectPage *self,
           OflVerifyStep   step,
           CheckState      state,
           const char     *title,
           const char     *subtitle)
{
  static const char *names[] = { "waiting", "ok", "failed", "skipped" };
  Check *check = &self->checks[step];
  const char *word = check_state_word (state);
  g_autofree char *description = NULL;

  check->state = state;
  if (title == NULL)
    title = check_title (step, state);
  if (subtitle == NULL)
    subtitle = "";
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (check->row), title);
  adw_action_row_set_subtitle (check->row, subtitle);

  /* The row's own name and description, not only its title label's: a
   * change to them is an event on the row (the list item) itself, so a
   * screen reader hears "Token accepted, Passed" when a check finishes.
   * An action row is labelled by its title and described by its subtitle
   * label, and GTK takes a relation over the text: drop both. */
  description = join_description (word, subtitle);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (check->row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (check->row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  /* While checking, focus is on Stop Checking: its description follows
   * the checks as they finish, which a screen reader reads out for the
   * focused control; the e2e test hears it through AT-SPI. */
  if (self->running && state != CHECK_WAITING)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->stop_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                    -1);
  gtk_stack_set_visible_child_name (check->state_stack, names[state]);

  gtk_accessible_update_state (GTK_ACCESSIBLE (check->row),
                               GTK_ACCESSIBLE_STATE_BUSY, state == CHECK_WAITING,
                               GTK_ACCESSIBLE_STATE_INVALID,
                               state == CHECK_FAILED ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

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
  if (self->checklist != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (self->checklist), GTK_ACCESSIBLE_STATE_BUSY, running, -1);
  if (running)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->stop_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  ofl_assistant_page_set_complete (OFL_ASSISTANT_PAGE (self), !running && self->token != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
reset_checks (OflConnectPage *self,
              gboolean        visible)
{
  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    {
      g_clear_error (&self->checks[i].error);
      set_check (self, i, CHECK_WAITING, NULL, NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->checklist_group), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->heading), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->separate_button), FALSE);
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
  g_autofree char *subtitle = NULL;

  if (step >= OFL_VERIFY_N_STEPS || !self->running)
    return;

  if (error != NULL)
    {
      if (ofl_error_get_kind (error) == OFL_ERROR_KIND_CANCELLED ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_error (&self->checks[step].error);
      self->checks[step].error = g_error_copy (error);
      set_check (self, step, CHECK_FAILED,
                 ofl_error_get_kind (error) == OFL_ERROR_KIND_REJECTED ||
                 ofl_error_get_kind (error) == OFL_ERROR_KIND_INPUT
                 ? NULL : check_not_made_title (step),
                 error->message);
      return;
    }

  switch ((OflVerifyStep) step)
    {
    case OFL_VERIFY_STEP_ACCOUNT:
      {
        OflAccount *account = detail;
        g_autofree char *title = NULL;

        /* Translators: %s is the name of the Oneflow account, e.g. "Acme AB" */
        title = g_strdup_printf (_("Account: %s"), account && account->name ? account->name : "");
        set_check (self, step, CHECK_OK, title, NULL);
        return;
      }
    case OFL_VERIFY_STEP_USER:
      {
        OflUser *user = detail;

        if (user && user->name && *user->name)
          subtitle = g_strdup (user->name);
        break;
      }
    case OFL_VERIFY_STEP_WORKSPACES:
      {
        GPtrArray *workspaces = detail;
        guint n = workspaces ? workspaces->len : 0;
        g_autofree char *title = NULL;

        if (n == 0)
          title = g_strdup (_("The user cannot reach any workspace yet"));
        else
          title = g_strdup_printf (ngettext ("The user can reach %u workspace",
                                             "The user can reach %u workspaces", n), n);

        /* Their names, the first few of them. */
        if (n > 0)
          {
            g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
            g_auto(GStrv) names = NULL;
            g_autofree char *list = NULL;
            guint shown = MIN (n, 3);

            for (guint i = 0; i < shown; i++)
              {
                OflWorkspace *workspace = g_ptr_array_index (workspaces, i);
                g_strv_builder_add (builder, workspace->name ? workspace->name : "");
              }
            names = g_strv_builder_end (builder);
            /* Translators: the separator between workspace names */
            list = g_strjoinv (_(", "), names);
            if (n > shown)
              /* Translators: a list of workspace names, then how many more */
              subtitle = g_strdup_printf (ngettext ("%s and %u more", "%s and %u more", n - shown),
                                          list, n - shown);
            else
              subtitle = g_steal_pointer (&list);
          }

        set_check (self, step, CHECK_OK, title, subtitle);
        return;
      }
    case OFL_VERIFY_STEP_TOKEN:
    case OFL_VERIFY_N_STEPS:
    default:
      break;
    }

  set_check (self, step, CHECK_OK, NULL, subtitle);
}

static void
show_failure (OflConnectPage *self,
              const GError   *error)
{
  GString *text = g_string_new (error->message);

  g_clear_error (&self->error);
  self->error = g_error_copy (error);

  /* The check that failed with the cause that won keeps its line; other
   * failures follow from it (no workspaces for a deactivated user), so
   * those lines, and any that never finished, read "Not checked" rather
   * than a second, lesser reason. */
  {
    gboolean shown_in_row = FALSE;

    for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
      {
        Check *check = &self->checks[i];

        if (check->state == CHECK_FAILED && check->error && !shown_in_row &&
            check->error->domain == error->domain && check->error->code == error->code)
          {
            /* The reason is said once, at the top; the line says which check. */
            shown_in_row = TRUE;
            set_check (self, i, CHECK_FAILED, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (check->row)),
                       NULL);
          }
        else if (check->state == CHECK_FAILED || check->state == CHECK_WAITING)
          /* Translators: the state of one check in the checklist (token, account, user, workspaces) */
          set_check (self, i, CHECK_SKIPPED, NULL, _("Not checked"));
      }
  }

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

  /* The failure takes the place of the introduction, at the top. */
  gtk_widget_set_visible (GTK_WIDGET (self->heading), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), FALSE);

  gtk_label_set_label (self->error_title, ofl_error_get_title (error));
  gtk_label_set_label (self->error_label, text->str);
  g_string_free (text, TRUE);

  switch (ofl_error_get_fix (error))
    {
    case OFL_ERROR_FIX_TOKEN:
      self->fix_page = "token";
      break;
    case OFL_ERROR_FIX_EMAIL:
      self->fix_page = "email";
      break;
    case OFL_ERROR_FIX_RETRY:
    default:
      self->fix_page = NULL;
      break;
    }

  if (g_strcmp0 (self->fix_page, "token") == 0)
    gtk_button_set_label (self->fix_button, _("Change the _Token"));
  else if (g_strcmp0 (self->fix_page, "email") == 0)
    gtk_button_set_label (self->fix_button, _("Change the _Email"));
  else
    gtk_button_set_label (self->fix_button, _("_Try Again"));

  /* Named and described before it shows and the fix button takes the
   * focus, so what a screen reader reads on that focus is already the new
   * failure. The fix button is described by the title and message, as
   * text: GTK 4.18 reads no description through a described-by relation
   * to these labels. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, ofl_error_get_title (error),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                  -1);
  {
    g_autofree char *description = join_description (ofl_error_get_title (error),
                                                     gtk_label_get_text (self->error_label));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->fix_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
  /* The error box has the way forward; the big Connect button goes. */
  gtk_widget_set_visible (self->button_box, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->fix_button));
}

/* Re-linking talks to the API the link was made with. */
static OflClient *
current_client (OflConnectPage *self)
{
  return self->relink != NULL ? self->relink_client : self->client;
}

static void
show_stopped (OflConnectPage *self)
{
  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    if (self->checks[i].state == CHECK_WAITING)
      /* Translators: the state of one check in the checklist, after Stop Checking */
      set_check (self, i, CHECK_SKIPPED, NULL, _("Cancelled"));
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
      show_stopped (self);
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
      show_failure (self, error);
      /* A re-link with another account's token: it may be kept as a
       * link of its own instead. */
      if (self->relink != NULL && g_error_matches (error, OFL_ERROR, OFL_ERROR_OTHER_ACCOUNT))
        gtk_widget_set_visible (GTK_WIDGET (self->separate_button), TRUE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    if (self->checks[i].state == CHECK_WAITING)
      set_check (self, i, CHECK_OK, NULL, NULL);

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
      gtk_widget_set_visible (GTK_WIDGET (self->checklist_group), FALSE);
      set_running (self, FALSE);
      show_failure (self, error);
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
    gtk_widget_grab_focus (GTK_WIDGET (self->fix_button));
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

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    g_clear_error (&self->checks[i].error);
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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, heading);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, email_summary_row);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, token_summary_row);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, button_box);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, error_title);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, OflConnectPage, separate_button);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, separate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_email_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_token_cb);
}

static void
checklist_mapped_cb (OflConnectPage *self)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->checklist), GTK_ACCESSIBLE_STATE_BUSY, self->running, -1);
}

static GtkWidget *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_box (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
ofl_connect_page_init (OflConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < OFL_VERIFY_N_STEPS; i++)
    {
      Check *check = &self->checks[i];
      GtkWidget *spinner = adw_spinner_new ();
      GtkWidget *image;

      check->row = ADW_ACTION_ROW (adw_action_row_new ());
      check->state_stack = GTK_STACK (gtk_stack_new ());
      gtk_widget_set_valign (GTK_WIDGET (check->state_stack), GTK_ALIGN_CENTER);

      gtk_stack_add_named (check->state_stack, spinner, "waiting");
      /* Translators: the state of one check, read by screen readers */
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Checking"), -1);

      image = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_add_css_class (image, "success");
      gtk_stack_add_named (check->state_stack, image, "ok");
      /* Translators: the accessible name of a check's state icon: the check passed */
      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passed"), -1);

      image = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (image, "error");
      gtk_stack_add_named (check->state_stack, image, "failed");
      /* Translators: the accessible name of a check's state icon: the check failed */
      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Failed"), -1);

      /* A dash: nothing to say, and not a box that looks like a missing image. */
      image = gtk_image_new_from_icon_name ("list-remove-symbolic");
      gtk_widget_add_css_class (image, "dim-label");
      gtk_stack_add_named (check->state_stack, image, "skipped");
      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not checked"), -1);

      adw_action_row_add_prefix (check->row, GTK_WIDGET (check->state_stack));
      adw_preferences_group_add (self->checklist_group, GTK_WIDGET (check->row));
      set_check (self, i, CHECK_WAITING, NULL, NULL);
    }

  update_intro (self);

  /* The list of checks (named by the group's title) is busy while they
   * run. It is shown as they start, and GTK sends no event for a widget
   * not realized yet: say it again once the list is on screen (an
   * assistive technology that has not looked at the list yet still hears
   * nothing, but reads the state when it does). */
  self->checklist = find_list_box (GTK_WIDGET (self->checklist_group));
  if (self->checklist != NULL)
    {
      g_signal_connect_object (self->checklist, "map", G_CALLBACK (checklist_mapped_cb), self, G_CONNECT_SWAPPED);
      /* libadwaita 1.7 labels a group's list by a title label that GTK
       * 4.18 reads as empty: the list a screen reader hears become busy
       * and done is named as the group, as text. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->checklist), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->checklist),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      adw_preferences_group_get_title (self->checklist_group),
                                      -1);
    }
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

gboolean
ofl_connect_page_get_running (OflConnectPage *self)
{
  g_return_val_if_fail (OFL_IS_CONNECT_PAGE (self), FALSE);

  return self->running;
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
