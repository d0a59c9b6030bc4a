/* ofl-application.c: the GApplication; the headless verbs live in cli/ */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-application.h"
#include "ofl-cli.h"
#include "ofl-error.h"
#include "ofl-links-dbus.h"
#include "ofl-window.h"

struct _OflApplication
{
  AdwApplication parent_instance;

  /* The one link service of this process, and its D-Bus front end. */
  OflLinks      *links;
  OflLinksDBus  *links_dbus;
  /* Runs of "Check Links" under way: they notify. */
  GCancellable  *cancellable;
  guint          n_check_runs;
};

G_DEFINE_FINAL_TYPE (OflApplication, ofl_application, ADW_TYPE_APPLICATION)

static int
ofl_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  /* The command line answers without a display or a primary instance. */
  return ofl_cli_handle_local_options (app, ofl_application_get_links (OFL_APPLICATION (app)), options);
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
    window = ofl_window_new (GTK_APPLICATION (app), ofl_application_get_links (OFL_APPLICATION (app)));

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

/* A desktop notification that @link needs attention, naming its email
 * and cause; its default action (app.relink) opens the repair. */
static void
notify_link_broken (OflApplication *self,
                    OflLink        *link)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  g_autofree char *shown = NULL;
  const char *email = ofl_link_get_email (link);

  /* Read from links.json: the notification shows no control character
   * (a title is one line); the actions keep the email as it is. */
  shown = ofl_escape_controls (email, OFL_ESCAPE_TEXT);
  /* Translators: %s is an email address */
  title = g_strdup_printf (_("The Oneflow link for %s stopped working"), shown);

  notification = g_notification_new (title);
  g_notification_set_body (notification, ofl_error_describe_problem (ofl_link_get_problem (link)));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* Clicking it opens the repair for this link. */
  g_notification_set_default_action_and_target (notification, "app.relink", "s", email);
  /* Translators: a notification button: link this account again with a new token */
  g_notification_add_button_with_target (notification, _("Re-link"), "app.relink", "s", email);

  /* One per link: a later check replaces it instead of piling up. */
  id = notification_id (email);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
withdraw_link_notification (OflApplication *self,
                            OflLink        *link)
{
  g_autofree char *id = notification_id (ofl_link_get_email (link));

  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static gboolean
window_is_seen (OflApplication *self)
{
  OflWindow *window = find_window (G_APPLICATION (self));

  return window != NULL && gtk_widget_get_visible (GTK_WIDGET (window));
}

/* A person looking at the window sees the banner; otherwise (the
 * desktop's "Check Links", or a hidden window) a notification. A link
 * that works again, or is gone, has nothing to say any more. */
static void
link_checked_cb (OflApplication *self,
                 OflLink        *link,
                 const GError   *error)
{
  if (ofl_link_get_status (link) == OFL_LINK_STATUS_NEEDS_ATTENTION)
    {
      if (self->n_check_runs > 0 || !window_is_seen (self))
        notify_link_broken (self, link);
    }
  else if (error == NULL)
    withdraw_link_notification (self, link);
}

static void
link_saved_cb (OflApplication *self,
               OflLink        *link,
               OflLink        *replaced)
{
  withdraw_link_notification (self, link);
  if (replaced != NULL)
    withdraw_link_notification (self, replaced);
}

static void
link_removed_cb (OflApplication *self,
                 OflLink        *link)
{
  withdraw_link_notification (self, link);
}

OflLinks *
ofl_application_get_links (OflApplication *self)
{
  g_return_val_if_fail (OFL_IS_APPLICATION (self), NULL);

  if (self->links == NULL)
    self->links = ofl_links_new (NULL);

  return self->links;
}

/* "Check Links" (the desktop action): every link, with a notification for
 * each that needs attention; the app is held until the verdicts are in.
 * A window open meanwhile shows them too: its rows are the same links. */
static void
check_links_end (OflApplication *self,
                 const GError   *error)
{
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not list the links: %s", error->message);

  self->n_check_runs--;
  g_application_release (G_APPLICATION (self));
}

static void
check_links_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OflApplication) self = user_data;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;

  outcomes = ofl_links_check_all_finish (OFL_LINKS (object), result, &error);
  check_links_end (self, error);
}

/* The keyring as it is now: another process (--link, a script) may have
 * changed it since the links were last read. */
static void
check_links_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OflApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ofl_links_load_finish (OFL_LINKS (object), result, &error))
    {
      check_links_end (self, error);
      return;
    }

  ofl_links_check_all_async (OFL_LINKS (object), self->cancellable,
                             check_links_done_cb, g_object_ref (self));
}

static void
check_links_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  OflApplication *self = OFL_APPLICATION (user_data);

  self->n_check_runs++;
  g_application_hold (G_APPLICATION (self));
  ofl_links_join_load_async (ofl_application_get_links (self), self->cancellable,
                             check_links_loaded_cb, g_object_ref (self));
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
  /* The keyring's round trips, on a thread of their own, while GTK
   * starts and the window is built: the window joins this load, and its
   * first frame can show the links. */
  ofl_links_join_load_async (ofl_application_get_links (OFL_APPLICATION (app)), NULL, NULL, NULL);

  G_APPLICATION_CLASS (ofl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  /* Only the primary instance speaks up: the command line's verbs never
   * get here. */
  g_signal_connect_object (ofl_application_get_links (OFL_APPLICATION (app)), "checked",
                           G_CALLBACK (link_checked_cb), app, G_CONNECT_SWAPPED);
  g_signal_connect_object (ofl_application_get_links (OFL_APPLICATION (app)), "linked",
                           G_CALLBACK (link_saved_cb), app, G_CONNECT_SWAPPED);
  g_signal_connect_object (ofl_application_get_links (OFL_APPLICATION (app)), "unlinked",
                           G_CALLBACK (link_removed_cb), app, G_CONNECT_SWAPPED);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
}

/* The integrations API (org.example.OneflowLink.Links1), next to the
 * GApplication interfaces on the same object path. */
static gboolean
ofl_application_dbus_register (GApplication     *app,
                               GDBusConnection  *connection,
                               const char       *object_path,
                               GError          **error)
{
  OflApplication *self = OFL_APPLICATION (app);

  if (!G_APPLICATION_CLASS (ofl_application_parent_class)->dbus_register (app, connection, object_path, error))
    return FALSE;

  self->links_dbus = ofl_links_dbus_new (app, ofl_application_get_links (self));
  return ofl_links_dbus_export (self->links_dbus, connection, object_path, error);
}

static void
ofl_application_dbus_unregister (GApplication    *app,
                                 GDBusConnection *connection,
                                 const char      *object_path)
{
  OflApplication *self = OFL_APPLICATION (app);

  if (self->links_dbus != NULL)
    ofl_links_dbus_unexport (self->links_dbus);
  g_clear_object (&self->links_dbus);

  G_APPLICATION_CLASS (ofl_application_parent_class)->dbus_unregister (app, connection, object_path);
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
  g_clear_object (&self->links_dbus);
  g_clear_object (&self->links);

  G_OBJECT_CLASS (ofl_application_parent_class)->finalize (object);
}

static void
ofl_application_class_init (OflApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ofl_application_finalize;
  app_class->shutdown = ofl_application_shutdown;
  app_class->dbus_register = ofl_application_dbus_register;
  app_class->dbus_unregister = ofl_application_dbus_unregister;

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
