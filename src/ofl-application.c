/* ofl-application.c: the GApplication; the headless verbs live in cli/ */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-application.h"
#include "ofl-cli.h"
#include "ofl-first-frame.h"
#include "ofl-window.h"

struct _OflApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (OflApplication, ofl_application, ADW_TYPE_APPLICATION)

static int
ofl_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  /* The command line answers without a display or a primary instance. */
  return ofl_cli_handle_local_options (app, options);
}

static void
ofl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (ofl_window_new (OFL_APPLICATION (app)));
      /* The benchmark's start-up probe; does nothing unless asked. */
      ofl_first_frame_watch (window);
    }

  gtk_window_present (window);
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
  GtkWidget *about;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "modal", TRUE,
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
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
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
}

static void
ofl_application_class_init (OflApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = ofl_application_handle_local_options;
  app_class->activate = ofl_application_activate;
  app_class->startup = ofl_application_startup;
}

static void
ofl_application_init (OflApplication *self)
{
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
