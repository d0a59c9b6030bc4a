/* ofl-application.c: the GApplication; the headless verbs live in cli/ */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-application.h"
#include "ofl-cli.h"
#include "ofl-error.h"
#include "ofl-link-check.h"
#include "ofl-link-row.h"
#include "ofl-store.h"
#include "ofl-window.h"

struct _OflApplication
{
  AdwApplication parent_instance;

  /* Checks run without a window (the desktop's "Check Links"). */
  GCancellable  *cancellable;
  OflStore      *store;
  guint          n_checks;
};

G_DEFINE_FINAL_TYPE (OflApplication, ofl_application, ADW_TYPE_APPLICATION)

static int
ofl_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  /* The command line answers without a display or a primary instance. */
  return ofl_cli_handle_local_options (app, options);
}

static OflWindow *
find_window (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (OFL_IS_WINDOW (window))
    return OFL_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (OFL_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static OflWindow *
ensure_window (GApplication *app)
{
  OflWindow *window = find_window (app);

  if (window == NULL)
    window = ofl_window_new (OFL_APPLICATION (app));

  return window;
}

static void
ofl_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (app)));
}

static char *
notification_id (const char *email)
{
  g_autofree char *lower = g_utf8_strdown (email, -1);

  return g_strconcat ("link-broken-", lower, NULL);
}

void
ofl_application_notify_link_broken (OflApplication *self,
                                    OflLink        *link)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *cause = NULL;
  g_autofree char *id = NULL;
  g_autofree char *shown = NULL;
  const char *email;

  g_return_if_fail (OFL_IS_APPLICATION (self));
  g_return_if_fail (OFL_IS_LINK (link));

  email = ofl_link_get_email (link);
  /* Read from links.json: the notification shows no control character
   * (a title is one line); the actions keep the email as it is. */
  shown = ofl_escape_controls (email, OFL_ESCAPE_TEXT);
  /* Translators: %s is an email address */
  title = g_strdup_printf (_("The Oneflow link for %s stopped working"), shown);
  cause = ofl_link_describe_problem (ofl_link_get_problem (link));

  notification = g_notification_new (title);
  g_notification_set_body (notification, cause);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* Clicking it opens the repair for this link. */
  g_notification_set_default_action_and_target (notification, "app.relink", "s", email);
  /* Translators: a notification button: link this account again with a new token */
  g_notification_add_button_with_target (notification, _("Re-link"), "app.relink", "s", email);

  /* One per link: a later check replaces it instead of piling up. */
  id = notification_id (email);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

void
ofl_application_withdraw_link_notification (OflApplication *self,
                                            const char     *email)
{
  g_autofree char *id = NULL;

  g_return_if_fail (OFL_IS_APPLICATION (self));

  id = notification_id (email);
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

/* "Check Links" with no window: check from the keyring, notify, quit. */

static void
background_check_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OflApplication) self = user_data;
  OflLink *link = OFL_LINK (object);
  g_autoptr(GError) error = NULL;

  if (!ofl_link_check_finish (link, result, &error) &&
      !g_error_matches (error, OFL_ERROR, OFL_ERROR_CANCELLED))
    g_debug ("Checking %s: %s", ofl_link_get_email (link), ofl_error_get_nick (error));

  if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
    ofl_application_notify_link_broken (self, link);

  if (--self->n_checks == 0)
    g_application_release (G_APPLICATION (self));
}

static void
background_list_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OflApplication) self = user_data;
  g_autoptr(GListModel) links = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  links = ofl_store_list_finish (OFL_STORE (object), result, &error);
  n = links ? g_list_model_get_n_items (links) : 0;
  if (links == NULL)
    g_message ("Could not list the links: %s", error->message);

  self->n_checks = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (links, i);

      ofl_link_check_async (link, self->store, self->cancellable,
                            background_check_cb, g_object_ref (self));
    }

  /* The hold taken for the list, now handed to the checks. */
  if (n == 0)
    g_application_release (G_APPLICATION (self));
}

static void
check_links_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  OflApplication *self = OFL_APPLICATION (user_data);
  OflWindow *window = find_window (G_APPLICATION (self));

  /* With a window, its rows and banner follow the checks too. */
  if (window != NULL)
    {
      ofl_window_check_links (window, TRUE);
      return;
    }

  if (self->n_checks > 0)
    return;

  if (self->store == NULL)
    self->store = ofl_store_new ();
  /* Runs with no window open: held until every verdict is in. */
  g_application_hold (G_APPLICATION (self));
  ofl_store_list_async (self->store, self->cancellable, background_list_cb, g_object_ref (self));
}

static void
relink_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  OflWindow *window = ensure_window (app);

  gtk_window_present (GTK_WINDOW (window));
  ofl_window_relink (window, g_variant_get_string (parameter, NULL));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  const char *developers[] = { "The Oneflow Link developers", NULL };
  AdwDialog *about;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
                        "application-name", _("Oneflow Link"),
                        "application-icon", gtk_icon_theme_has_icon (theme, APP_ID) ? APP_ID : BASE_APP_ID,
                        "developer-name", _("The Oneflow Link developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Links your Oneflow account to this computer, step by step, and keeps the API token in your keyring."),
                        "website", "https://app.oneflow.com",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_dialog_present (about, GTK_WIDGET (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  /* The desktop file's "Check Links" (DBusActivatable). */
  { "check-links", check_links_activated },
  /* A notification's action and `oneflow-link --relink EMAIL`. */
  { "relink", relink_activated, "s" },
};

static void
ofl_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ofl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
}

static void
ofl_application_shutdown (GApplication *app)
{
  OflApplication *self = OFL_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (ofl_application_parent_class)->shutdown (app);
}

static void
ofl_application_finalize (GObject *object)
{
  OflApplication *self = OFL_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ofl_application_parent_class)->finalize (object);
}

static void
ofl_application_class_init (OflApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ofl_application_finalize;
  app_class->shutdown = ofl_application_shutdown;

  app_class->handle_local_options = ofl_application_handle_local_options;
  app_class->activate = ofl_application_activate;
  app_class->startup = ofl_application_startup;
}

static void
ofl_application_init (OflApplication *self)
{
  self->cancellable = g_cancellable_new ();
  ofl_cli_add_options (G_APPLICATION (self));
}

OflApplication *
ofl_application_new (void)
{
  return g_object_new (OFL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
