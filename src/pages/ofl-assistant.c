/* ofl-assistant.c: the linking assistant (gnome-initial-setup's model)
 *
 * Next applies the current page (async, cancellable) and moves on only when
 * the apply succeeds. Back never applies. Cancel asks before discarding
 * typed input. The last page's apply is the connection itself; Escape or
 * Cancel stop it. */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-assistant.h"
#include "ofl-confirm-dialog.h"
#include "ofl-connect-page.h"
#include "ofl-email-page.h"
#include "ofl-enable-page.h"
#include "ofl-generate-page.h"
#include "ofl-token-page.h"

struct _OflAssistant
{
  AdwBin             parent_instance;

  AdwNavigationView *navigation_view;
  OflEnablePage     *enable_page;
  OflGeneratePage   *generate_page;
  OflTokenPage      *token_page;
  OflEmailPage      *email_page;
  OflConnectPage    *connect_page;

  OflAssistantPage  *pages[OFL_N_PAGES];
  OflPageId          current;
  GCancellable      *apply_cancellable;
  gboolean           busy;
  gboolean           narrow;
  gboolean           disposed;
  /* What the window manager shows while re-linking, or NULL. */
  char              *wm_title;
};

G_DEFINE_FINAL_TYPE (OflAssistant, ofl_assistant, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_WINDOW_TITLE,
  PROP_NARROW,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (OflAssistant *self)
{
  OflAssistantPage *page = self->pages[self->current];

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 !self->busy && ofl_assistant_page_get_complete (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.stop", self->busy);
  /* A running check holds the page: Back, Escape and swipes wait. */
  adw_navigation_page_set_can_pop (ADW_NAVIGATION_PAGE (page), !self->busy);
}

static void
set_busy (OflAssistant *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_window_title (OflAssistant *self)
{
  OflLink *relink = ofl_connect_page_get_relink (self->connect_page);
  g_autofree char *title = NULL;

  /* Re-linking shows in the task switcher: which link, which step. */
  if (relink != NULL)
    /* Translators: the window title, e.g. "Generate Token – Re-link anna@example.com" */
    title = g_strdup_printf (_("%s – Re-link %s"),
                             adw_navigation_page_get_title (ADW_NAVIGATION_PAGE (self->pages[self->current])),
                             ofl_link_get_email (relink));

  if (g_strcmp0 (title, self->wm_title) == 0)
    return;

  g_free (self->wm_title);
  self->wm_title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_TITLE]);
}

static OflPageId
page_id (OflAssistant      *self,
         AdwNavigationPage *page)
{
  for (guint i = 0; i < OFL_N_PAGES; i++)
    if (ADW_NAVIGATION_PAGE (self->pages[i]) == page)
      return i;

  g_return_val_if_reached (OFL_PAGE_ENABLE);
}

/* Every way of moving ends here: Next's push, libadwaita's pops (Back,
 * Escape, Alt+Left, swipe) and the jumps of Connect's fix buttons. */
static void
visible_page_changed_cb (OflAssistant *self)
{
  AdwNavigationPage *visible = adw_navigation_view_get_visible_page (self->navigation_view);
  OflPageId previous = self->current;
  OflPageId target;

  /* Also called while the template is built, before the pages are known. */
  if (visible == NULL || self->disposed || self->pages[OFL_PAGE_ENABLE] == NULL)
    return;

  target = page_id (self, visible);

  /* The connect page holds the only copy of the token outside GTK's secure
   * buffer: it gets one when it is shown and wipes it when it is left. */
  if (previous == OFL_PAGE_CONNECT && target != OFL_PAGE_CONNECT)
    ofl_connect_page_clear (self->connect_page);

  if (target == OFL_PAGE_CONNECT && previous != OFL_PAGE_CONNECT)
    {
      g_autofree char *email = ofl_email_page_dup_email (self->email_page);

      ofl_connect_page_set_credentials (self->connect_page,
                                        ofl_token_page_get_text (self->token_page),
                                        email);
    }

  /* The page left behind may have been held while busy. */
  adw_navigation_page_set_can_pop (ADW_NAVIGATION_PAGE (self->pages[previous]), TRUE);
  self->current = target;

  update_window_title (self);
  update_actions (self);
  ofl_assistant_page_shown (self->pages[target]);
}

static void
go_to (OflAssistant *self,
       OflPageId     target)
{
  AdwNavigationPage *page;

  g_return_if_fail (target < OFL_N_PAGES);

  page = ADW_NAVIGATION_PAGE (self->pages[target]);
  if (target > self->current)
    adw_navigation_view_push (self->navigation_view, page);
  else if (target < self->current)
    adw_navigation_view_pop_to_page (self->navigation_view, page);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OflAssistant) self = user_data;
  OflAssistantPage *page = OFL_ASSISTANT_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ofl_assistant_page_apply_finish (page, result, &error);

  /* Closed while applying: nothing more to do, and nothing to touch. */
  if (self->disposed)
    return;

  g_clear_object (&self->apply_cancellable);
  set_busy (self, FALSE);

  if (!ok)
    {
      /* The page shows its own failure in place. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Page %s could not apply: %s", G_OBJECT_TYPE_NAME (page), error->message);
      ofl_assistant_page_shown (page);
      return;
    }

  if (page != self->pages[self->current])
    return;

  if (self->current == OFL_PAGE_CONNECT)
    {
      g_autoptr(OflLink) link = g_object_ref (ofl_connect_page_get_link (self->connect_page));
      g_autofree char *note = g_strdup (ofl_connect_page_get_limits_note (self->connect_page));

      /* Done: forget everything typed, then hand the link over. */
      ofl_assistant_discard (self);
      g_signal_emit (self, signals[FINISHED], 0, link, note);
      return;
    }

  go_to (self, self->current + 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OflAssistant *self = OFL_ASSISTANT (widget);
  OflAssistantPage *page = self->pages[self->current];

  if (self->busy || !ofl_assistant_page_get_complete (page))
    return;

  g_clear_object (&self->apply_cancellable);
  self->apply_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  ofl_assistant_page_apply_async (page, self->apply_cancellable, apply_cb, g_object_ref (self));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OflAssistant *self = OFL_ASSISTANT (widget);

  g_cancellable_cancel (self->apply_cancellable);
}

static void
finish_cancelled (OflAssistant *self)
{
  ofl_assistant_discard (self);
  g_signal_emit (self, signals[FINISHED], 0, NULL, NULL);
}

static void
discard_response_cb (AdwAlertDialog *dialog,
                     const char     *response,
                     OflAssistant   *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    finish_cancelled (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OflAssistant *self = OFL_ASSISTANT (widget);
  AdwDialog *dialog;

  /* While a check runs, Cancel stops the check and stays. */
  if (self->busy)
    {
      g_cancellable_cancel (self->apply_cancellable);
      return;
    }

  if (!ofl_assistant_has_input (self))
    {
      finish_cancelled (self);
      return;
    }

  dialog = ofl_confirm_dialog_new (_("Discard Changes?"),
                                   _("The token and email you entered will be forgotten. Nothing has been saved."),
                                   "keep", _("_Keep Editing"),
                                   "discard", _("_Discard"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  adw_dialog_present (dialog, widget);
}

static void
page_complete_changed_cb (OflAssistant *self)
{
  update_actions (self);
}

/* @reason: why, from a failure's fix button, shown next to the field;
 * NULL from a You Entered row, which only goes back to change it. */
static void
fix_requested_cb (OflAssistant *self,
                  const char   *page_name,
                  const char   *reason)
{
  if (g_strcmp0 (page_name, "token") == 0)
    {
      ofl_token_page_show_problem (self->token_page, reason);
      go_to (self, OFL_PAGE_TOKEN);
    }
  else if (g_strcmp0 (page_name, "email") == 0)
    {
      ofl_email_page_show_problem (self->email_page, reason);
      go_to (self, OFL_PAGE_EMAIL);
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                OflAssistant          *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  /* Escape stops a running check; libadwaita's Escape (Back) is held
   * while it runs. */
  if (keyval == GDK_KEY_Escape && self->busy)
    {
      g_cancellable_cancel (self->apply_cancellable);
      return TRUE;
    }

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;

  /* Buttons activate themselves, and fields say Next through
   * entry-activated; anywhere else (a tick box, a list) Enter is Next. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root ? gtk_root_get_focus (root) : NULL;
  if (GTK_IS_BUTTON (focus) || GTK_IS_TEXT (focus) ||
      (focus && gtk_widget_get_ancestor (focus, GTK_TYPE_TEXT)))
    return FALSE;

  if (self->busy || !ofl_assistant_page_get_complete (self->pages[self->current]))
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
  return TRUE;
}

static void
ofl_assistant_dispose (GObject *object)
{
  OflAssistant *self = OFL_ASSISTANT (object);

  /* Closing the window during a check cancels it; nothing is stored. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->apply_cancellable);
  g_clear_object (&self->apply_cancellable);

  if (self->connect_page != NULL)
    ofl_assistant_page_discard (OFL_ASSISTANT_PAGE (self->connect_page));

  G_OBJECT_CLASS (ofl_assistant_parent_class)->dispose (object);
}

static void
ofl_assistant_finalize (GObject *object)
{
  OflAssistant *self = OFL_ASSISTANT (object);

  g_clear_pointer (&self->wm_title, g_free);

  G_OBJECT_CLASS (ofl_assistant_parent_class)->finalize (object);
}

static void
ofl_assistant_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OflAssistant *self = OFL_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_WINDOW_TITLE:
      g_value_set_string (value, self->wm_title);
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_assistant_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  OflAssistant *self = OFL_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_NARROW:
      if (self->narrow != g_value_get_boolean (value))
        {
          self->narrow = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ofl_assistant_class_init (OflAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ofl_assistant_dispose;
  object_class->finalize = ofl_assistant_finalize;
  object_class->get_property = ofl_assistant_get_property;
  object_class->set_property = ofl_assistant_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_TITLE] =
    g_param_spec_string ("window-title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Set by the window's breakpoint: the header shows no title. */
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The link made (NULL when cancelled), and what the person should know
   * about it (a cap on what was kept), or NULL. */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, OFL_TYPE_LINK, G_TYPE_STRING);

  g_type_ensure (OFL_TYPE_ENABLE_PAGE);
  g_type_ensure (OFL_TYPE_GENERATE_PAGE);
  g_type_ensure (OFL_TYPE_TOKEN_PAGE);
  g_type_ensure (OFL_TYPE_EMAIL_PAGE);
  g_type_ensure (OFL_TYPE_CONNECT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pages/ofl-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, navigation_view);
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, enable_page);
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, generate_page);
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, token_page);
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, email_page);
  gtk_widget_class_bind_template_child (widget_class, OflAssistant, connect_page);
  gtk_widget_class_bind_template_callback (widget_class, fix_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "assistant.stop", NULL, stop_action);

}

static void
ofl_assistant_init (OflAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pages[OFL_PAGE_ENABLE] = OFL_ASSISTANT_PAGE (self->enable_page);
  self->pages[OFL_PAGE_GENERATE] = OFL_ASSISTANT_PAGE (self->generate_page);
  self->pages[OFL_PAGE_TOKEN] = OFL_ASSISTANT_PAGE (self->token_page);
  self->pages[OFL_PAGE_EMAIL] = OFL_ASSISTANT_PAGE (self->email_page);
  self->pages[OFL_PAGE_CONNECT] = OFL_ASSISTANT_PAGE (self->connect_page);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  for (guint i = 0; i < OFL_N_PAGES; i++)
    {
      /* The step counts the pages the person sees, not the documented steps. */
      ofl_assistant_page_set_step (self->pages[i], i + 1, OFL_N_PAGES);
      g_object_bind_property (self, "narrow", self->pages[i], "narrow", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (self->pages[i], "notify::complete",
                               G_CALLBACK (page_complete_changed_cb), self, G_CONNECT_SWAPPED);
    }

  self->current = OFL_PAGE_ENABLE;
  update_actions (self);
}

void
ofl_assistant_set_services (OflAssistant *self,
                            OflClient    *client,
                            const GError *client_error,
                            OflLinks     *links)
{
  g_return_if_fail (OFL_IS_ASSISTANT (self));

  ofl_connect_page_set_services (self->connect_page, client, client_error, links);
}

void
ofl_assistant_start (OflAssistant     *self,
                     OflPageId  page,
                     const char       *email)
{
  g_return_if_fail (OFL_IS_ASSISTANT (self));
  g_return_if_fail (page < OFL_PAGE_CONNECT);

  ofl_assistant_discard (self);

  /* A plain start is never a re-link. */
  ofl_connect_page_set_relink (self->connect_page, NULL);
  for (guint i = 0; i < OFL_N_PAGES; i++)
    ofl_assistant_page_set_note (self->pages[i], NULL);

  if (email != NULL)
    ofl_email_page_set_email (self->email_page, email);

  /* Opening past the first step means those steps are done already. */
  if (page > OFL_PAGE_ENABLE)
    ofl_assistant_page_set_complete (self->pages[OFL_PAGE_ENABLE], TRUE);

  /* The pages before @page stay below it, so Back still reaches them. */
  adw_navigation_view_replace (self->navigation_view, (AdwNavigationPage **) self->pages, page + 1);
  ofl_assistant_page_shown (self->pages[page]);
}

OflAssistantPage *
ofl_assistant_get_page (OflAssistant     *self,
                        OflPageId  page)
{
  g_return_val_if_fail (OFL_IS_ASSISTANT (self), NULL);
  g_return_val_if_fail (page < OFL_N_PAGES, NULL);

  return self->pages[page];
}

gboolean
ofl_assistant_has_input (OflAssistant *self)
{
  g_return_val_if_fail (OFL_IS_ASSISTANT (self), FALSE);

  for (guint i = 0; i < OFL_N_PAGES; i++)
    if (ofl_assistant_page_has_input (self->pages[i]))
      return TRUE;

  return FALSE;
}

void
ofl_assistant_discard (OflAssistant *self)
{
  g_return_if_fail (OFL_IS_ASSISTANT (self));

  g_cancellable_cancel (self->apply_cancellable);

  for (guint i = 0; i < OFL_N_PAGES; i++)
    ofl_assistant_page_discard (self->pages[i]);
}

static char *
describe_relink (OflLink *link)
{
  const char *problem = ofl_link_get_problem (link);
  const char *email = ofl_link_get_email (link);
  const char *account = ofl_link_get_account_name (link);

  if (account == NULL || *account == '\0')
    account = ofl_link_get_account_id (link);

  /* A banner: short, the reason only; the pages say what to do. */
  if (g_strcmp0 (problem, "user-deactivated") == 0)
    /* Translators: a banner; %s is an email */
    return g_strdup_printf (_("Re-linking %s: this user was deactivated in Oneflow"), email);
  if (g_strcmp0 (problem, "unknown-user") == 0)
    /* Translators: a banner; an email, then a Oneflow account name */
    return g_strdup_printf (_("Re-linking %s: this user is no longer in %s"), email, account);

  /* Translators: a banner; %s is an email */
  return g_strdup_printf (_("Re-linking %s: its token was revoked or replaced"), email);
}

OflPageId
ofl_assistant_relink_page (OflLink *link)
{
  const char *problem;

  g_return_val_if_fail (OFL_IS_LINK (link), OFL_PAGE_GENERATE);

  /* The token is fine when the user is the problem: change the email. */
  problem = ofl_link_get_problem (link);
  if (g_strcmp0 (problem, "user-deactivated") == 0 || g_strcmp0 (problem, "unknown-user") == 0)
    return OFL_PAGE_EMAIL;

  return OFL_PAGE_GENERATE;
}

void
ofl_assistant_start_relink (OflAssistant *self,
                            OflLink      *link,
                            const char   *stored_token)
{
  g_autofree char *note = NULL;
  OflPageId page;

  g_return_if_fail (OFL_IS_ASSISTANT (self));
  g_return_if_fail (OFL_IS_LINK (link));

  page = ofl_assistant_relink_page (link);
  if (page == OFL_PAGE_EMAIL && stored_token == NULL)
    page = OFL_PAGE_GENERATE;

  ofl_assistant_start (self, page, ofl_link_get_email (link));
  if (page == OFL_PAGE_EMAIL)
    ofl_token_page_set_text (self->token_page, stored_token);

  /* Everything before the token is done already; Back still reaches it. */
  ofl_assistant_page_set_complete (self->pages[OFL_PAGE_GENERATE], TRUE);
  ofl_connect_page_set_relink (self->connect_page, link);
  update_window_title (self);

  note = describe_relink (link);
  for (guint i = 0; i < OFL_N_PAGES; i++)
    ofl_assistant_page_set_note (self->pages[i], note);
  ofl_assistant_page_shown (self->pages[page]);
}

OflLink *
ofl_assistant_get_relink (OflAssistant *self)
{
  g_return_val_if_fail (OFL_IS_ASSISTANT (self), NULL);

  return ofl_connect_page_get_relink (self->connect_page);
}
