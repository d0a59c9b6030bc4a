/* ofl-window.c: the main window: welcome, accounts, or the assistant */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-accounts-view.h"
#include "ofl-assistant.h"
#include "ofl-client.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-error.h"
#include "ofl-links.h"
#include "ofl-welcome-page.h"
#include "ofl-window-private.h"

struct _OflWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkWidget            *add_button;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;
  GtkStack             *main_stack;
  AdwSpinner           *loading_spinner;
  OflWelcomePage       *welcome_page;
  OflAccountsView      *accounts_view;
  GtkWindow            *shortcuts_window;
  /* Below the breakpoint: the assistant's header has no room for a title. */
  gboolean              narrow;
  OflAssistant         *assistant;

  GSettings            *settings;
  /* The application's link service: the list shows its model. */
  OflLinks             *links;
  OflClient            *client;
  GError               *client_error;
  GCancellable         *cancellable;
  OflLink              *highlight;
  guint                 loading_timeout;

  /* The background check: a while after the first frame, and whenever
   * the network comes back. */
  guint                 startup_check;
  gboolean              links_loaded;
  gboolean              check_when_loaded;
  gboolean              network_available;
  /* ofl_window_relink() before the links were read. */
  char                 *pending_relink;
  /* The assistant just repaired a link: a toast, not the dialog. */
  gboolean              relinked;
  char                 *linked_note;
  gboolean              mapped_once;
  guint                 watch_network;
  /* The toast on screen or queued: newer news replaces it. */
  AdwToast             *toast;
};

/* How long after the window maps the stored links are checked. */
#define STARTUP_CHECK_DELAY_MS 3000

G_DEFINE_FINAL_TYPE (OflWindow, ofl_window, ADW_TYPE_APPLICATION_WINDOW)

static guint
n_links (OflWindow *self)
{
  GListModel *links = ofl_accounts_view_get_links (self->accounts_view);

  return links ? g_list_model_get_n_items (links) : 0;
}

static void
sync_title (OflWindow *self)
{
  g_autofree char *title = NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "assistant") == 0)
    g_object_get (self->assistant, "window-title", &title, NULL);

  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("Oneflow Link"));
}

static void
show_view (OflWindow  *self,
           const char *name)
{
  /* The spinner is up for a moment at most: cut straight to what
   * replaces it, with no crossfade to draw on the way. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
    gtk_stack_set_visible_child_full (self->main_stack, name, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->main_stack, name);
  sync_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !g_str_equal (name, "assistant"));
  gtk_widget_set_visible (self->add_button, g_str_equal (name, "accounts"));

  if (g_str_equal (name, "welcome"))
    gtk_widget_grab_focus (GTK_WIDGET (self->welcome_page));
}

static void
show_home (OflWindow *self)
{
  show_view (self, n_links (self) > 0 ? "accounts" : "welcome");
}

static void
present_linked_dialog (OflWindow *self,
                       OflLink   *link)
{
  AdwDialog *dialog;
  g_autofree char *body = NULL;
  const char *account = ofl_link_get_account_name (link);

  if (account && *account)
    /* Translators: the first %s is an email address, the second an account name */
    body = g_strdup_printf (_("%s is now linked to the Oneflow account %s. It is listed with your linked accounts."),
                            ofl_link_get_email (link), account);
  else
    body = g_strdup_printf (_("%s is now linked. It is listed with your linked accounts."),
                            ofl_link_get_email (link));

  /* Where the link goes next: the integration's own form. */
  {
    g_autofree char *told = g_strconcat (body, "\n\n",
                                         _("To use it in the Hub, copy its API token and user email from "
                                           "its row into the Hub’s “API Token” and “User Email” fields."),
                                         NULL);

    g_free (body);
    body = g_steal_pointer (&told);
  }

  /* A cap on what was kept is said, never applied silently. */
  if (self->linked_note != NULL)
    {
      g_autofree char *told = g_strconcat (body, "\n\n", self->linked_note, NULL);

      g_free (body);
      body = g_steal_pointer (&told);
      g_clear_pointer (&self->linked_note, g_free);
    }

  dialog = adw_alert_dialog_new (_("Account Linked"), body);
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "done", _("_Done"));
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "done");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "done");
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

/* The list, with @highlight (if any) told as just linked or re-linked. */
static void
show_links (OflWindow *self,
            OflLink   *highlight)
{
  show_home (self);

  if (highlight != NULL)
    {
      ofl_accounts_view_highlight (self->accounts_view, highlight);
      /* Short: one line even 360 px wide; the highlighted row says whose. */
      if (self->relinked)
        {
          g_autofree char *told = NULL;

          /* The highlight gave the re-linked row the focus. A screen
           * reader hears the outcome, whose link it is, in full. */
          ofl_window_show_toast (self, _("The link works again"));
          /* Translators: said to a screen reader; %s is an email address */
          told = g_strdup_printf (_("Re-linked %s. The link works again."), ofl_link_get_email (highlight));
          ofl_accounts_view_announce (self->accounts_view, told, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
        }
      else
        present_linked_dialog (self, highlight);
    }
  self->relinked = FALSE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OflWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OflLink) highlight = g_steal_pointer (&self->highlight);

  if (!ofl_links_load_finish (OFL_LINKS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* One line for the toast; Connect explains in full if it fails too. */
      g_message ("Could not list the links: %s", error->message);
      ofl_window_show_toast (self, _("Could not read your links from the keyring"));
    }

  g_clear_handle_id (&self->loading_timeout, g_source_remove);
  self->links_loaded = TRUE;

  if (self->check_when_loaded)
    {
      self->check_when_loaded = FALSE;
      ofl_accounts_view_check_all (self->accounts_view, TRUE);
    }

  if (self->pending_relink != NULL)
    {
      g_autofree char *email = g_steal_pointer (&self->pending_relink);

      ofl_window_relink (self, email);
      return;
    }

  /* Someone started the assistant meanwhile: leave them there. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "assistant") == 0)
    return;

  show_links (self, highlight);
}

static gboolean
loading_timeout_cb (gpointer user_data)
{
  OflWindow *self = user_data;

  self->loading_timeout = 0;

  /* A slow keyring (an unlock prompt, a busy service) must not hold the
   * person at a spinner: let them start while the list keeps loading. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
    show_view (self, "welcome");

  return G_SOURCE_REMOVE;
}

/* Reads the links again, as the keyring may have changed since; or, at
 * start-up, joins the read the application began before GTK. */
static void
ofl_window_reload (OflWindow *self)
{
  g_clear_handle_id (&self->loading_timeout, g_source_remove);
  self->loading_timeout = g_timeout_add (1500, loading_timeout_cb, self);

  ofl_links_join_load_async (self->links, self->cancellable, list_cb, g_object_ref (self));
}

static void assistant_finished_cb (OflWindow *self, OflLink *link, const char *note);

/* The assistant and the libsoup session are made the first time they are
 * needed, not at start-up: the first frame shows the welcome page or the
 * accounts, and building five pages of text would only delay it. */
static OflAssistant *
ensure_assistant (OflWindow *self)
{
  if (self->assistant != NULL)
    return self->assistant;

  self->client = ofl_client_new_default (&self->client_error);
  if (self->client_error)
    g_message ("Oneflow Link cannot reach Oneflow: %s", self->client_error->message);

  self->assistant = g_object_new (OFL_TYPE_ASSISTANT, NULL);
  ofl_assistant_set_services (self->assistant, self->client, self->client_error, self->links);
  g_signal_connect_object (self->assistant, "finished",
                           G_CALLBACK (assistant_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assistant, "notify::window-title",
                           G_CALLBACK (sync_title), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->assistant), "assistant");
  g_object_set (self->assistant, "narrow", self->narrow, NULL);

  return self->assistant;
}

static void
start_assistant (OflWindow        *self,
                 OflPageId  page,
                 const char       *email)
{
  ofl_assistant_start (ensure_assistant (self), page, email);
  show_view (self, "assistant");
  /* The page asked for focus before it was visible; ask again. */
  ofl_assistant_page_shown (ofl_assistant_get_page (self->assistant, page));
}

static void
add_link_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OflWindow *self = OFL_WINDOW (widget);

  /* Ctrl+N while linking: the link under way stays as it is. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "assistant") == 0)
    return;

  start_assistant (self, OFL_PAGE_ENABLE, NULL);
}

static void
add_link_with_token_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  start_assistant (OFL_WINDOW (widget), OFL_PAGE_TOKEN, NULL);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ofl_window_show_toast (OFL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
assistant_finished_cb (OflWindow  *self,
                       OflLink    *link,
                       const char *note)
{
  OflLink *old = ofl_assistant_get_relink (self->assistant);

  if (link == NULL)
    {
      show_home (self);
      return;
    }

  /* The service has the saved link in the list already, in place of
   * the one it repaired. */
  g_free (self->linked_note);
  self->linked_note = g_strdup (note);
  self->relinked = old != NULL &&
                   g_strcmp0 (ofl_link_get_account_id (old), ofl_link_get_account_id (link)) == 0 &&
                   g_strcmp0 (ofl_link_get_api_url (old), ofl_link_get_api_url (link)) == 0;
  show_links (self, link);
}

static void
relink_requested_cb (OflWindow *self,
                     OflLink   *link)
{
  ofl_window_relink_link (self, link);
}

static void
check_links_now (OflWindow *self)
{
  if (!self->links_loaded)
    {
      self->check_when_loaded = TRUE;
      return;
    }

  ofl_accounts_view_check_all (self->accounts_view, TRUE);
}

static gboolean
startup_check_cb (gpointer user_data)
{
  OflWindow *self = user_data;

  self->startup_check = 0;
  check_links_now (self);

  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (OflWindow       *self,
                    GParamSpec      *pspec,
                    GNetworkMonitor *monitor)
{
  gboolean available = g_network_monitor_get_network_available (monitor);

  /* Back online: a check that failed offline can give a verdict now. */
  if (available && !self->network_available && self->mapped_once)
    check_links_now (self);
  self->network_available = available;
}

static gboolean
watch_network_cb (gpointer user_data)
{
  OflWindow *self = user_data;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();

  self->watch_network = 0;
  self->network_available = g_network_monitor_get_network_available (monitor);
  g_signal_connect_object (monitor, "notify::network-available",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);

  return G_SOURCE_REMOVE;
}

static void
mapped_cb (OflWindow *self)
{
  if (self->startup_check != 0 || self->mapped_once)
    return;
  self->mapped_once = TRUE;

  /* The network monitor may ask NetworkManager over D-Bus when it is
   * made: after the first frame, not before. */
  self->watch_network = g_timeout_add_full (G_PRIORITY_LOW, 200, watch_network_cb, self, NULL);

  /* An administrator may keep the app from contacting Oneflow unasked. */
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "check-links-on-open"))
    return;

  /* Never before the first frame: the check waits a moment after the
   * window is on screen, at a low priority. */
  self->startup_check = g_timeout_add_full (G_PRIORITY_LOW, STARTUP_CHECK_DELAY_MS, startup_check_cb, self, NULL);
}

static void
accounts_empty_cb (OflWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "accounts") == 0)
    show_view (self, "welcome");
}

static gboolean
ofl_window_close_request (GtkWindow *window)
{
  OflWindow *self = OFL_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  /* Closing during a check cancels it; nothing typed is kept. */
  g_cancellable_cancel (self->cancellable);
  if (self->assistant != NULL)
    ofl_assistant_discard (self->assistant);

  return GTK_WINDOW_CLASS (ofl_window_parent_class)->close_request (window);
}

static void
restore_size (OflWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running from the tree without the schema compiled: use the defaults. */
  if (source)
    schema = g_settings_schema_source_lookup (source, OFL_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return;

  self->settings = g_settings_new (OFL_SETTINGS_SCHEMA_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (self->settings, "window-width")),
                               MAX (294, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
ofl_window_dispose (GObject *object)
{
  OflWindow *self = OFL_WINDOW (object);

  if (self->shortcuts_window != NULL)
    gtk_window_destroy (self->shortcuts_window);
  g_clear_weak_pointer (&self->shortcuts_window);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->loading_timeout, g_source_remove);
  g_clear_handle_id (&self->startup_check, g_source_remove);
  g_clear_handle_id (&self->watch_network, g_source_remove);

  G_OBJECT_CLASS (ofl_window_parent_class)->dispose (object);
}

static void
ofl_window_finalize (GObject *object)
{
  OflWindow *self = OFL_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->links);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->highlight);
  g_clear_pointer (&self->linked_note, g_free);
  g_clear_error (&self->client_error);
  g_clear_pointer (&self->pending_relink, g_free);
  g_clear_object (&self->toast);

  G_OBJECT_CLASS (ofl_window_parent_class)->finalize (object);
}

/* The keyboard shortcuts, made the first time they are asked for:
 * building them for every window (GtkApplication's help overlay) cost 3%
 * of start-up. libadwaita 1.8 and later (the Flatpak's GNOME runtime) has
 * AdwShortcutsDialog; GtkShortcutsWindow, deprecated since GTK 4.18, is
 * kept only for the floor's libadwaita 1.7 (Debian 13). Both come from UI
 * files, so no deprecated or newer API is compiled in. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OflWindow *self = OFL_WINDOW (widget);
  g_autoptr(GtkBuilder) builder = NULL;

  if (adw_get_major_version () > 1 || adw_get_minor_version () >= 8)
    {
      builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/shortcuts-dialog.ui");
      adw_dialog_present (ADW_DIALOG (gtk_builder_get_object (builder, "shortcuts_dialog")), widget);
      return;
    }

  if (self->shortcuts_window == NULL)
    {
      builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/shortcuts-window.ui");
      /* Weak: GTK owns a toplevel, and it may be destroyed before us. */
      g_set_weak_pointer (&self->shortcuts_window, GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_modal (self->shortcuts_window, TRUE);
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
    }

  gtk_window_present (self->shortcuts_window);
}

static void
narrow_changed (OflWindow *self,
                gboolean   narrow)
{
  self->narrow = narrow;
  if (self->assistant != NULL)
    g_object_set (self->assistant, "narrow", narrow, NULL);
}

static void
breakpoint_apply_cb (OflWindow *self)
{
  narrow_changed (self, TRUE);
}

static void
breakpoint_unapply_cb (OflWindow *self)
{
  narrow_changed (self, FALSE);
}

static void
ofl_window_class_init (OflWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ofl_window_dispose;
  object_class->finalize = ofl_window_finalize;
  window_class->close_request = ofl_window_close_request;

  g_type_ensure (OFL_TYPE_WELCOME_PAGE);
  g_type_ensure (OFL_TYPE_ACCOUNTS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ofl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OflWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, OflWindow, accounts_view);
  gtk_widget_class_bind_template_callback (widget_class, relink_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, accounts_empty_cb);

  gtk_widget_class_install_action (widget_class, "win.add-link", NULL, add_link_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-link", NULL);
  gtk_widget_class_install_action (widget_class, "win.add-link-with-token", NULL, add_link_with_token_action);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);
  /* Ctrl+? is an application accelerator (ofl-application.c), so the
   * shortcuts window lists it. */
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts_action);
}

/* A menu's popover is a tree of widgets to build and style: made when it
 * first opens, not for the first frame. */
static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  OflWindow *self = OFL_WINDOW (user_data);

  /* Asked on every opening: the menu is made on the first only. */
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
ofl_window_init (OflWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popup, self, NULL);

  /* Too narrow for the header's buttons and a title (Swedish at 360 px):
   * the assistant moves the step under the header. Made with the window,
   * not with the assistant: a breakpoint added later switches on the next
   * allocation, and libadwaita 1.10 then snapshots a widget not allocated
   * yet ("Trying to snapshot AdwGizmo without a current allocation"). */
  {
    AdwBreakpoint *narrow = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 450sp"));

    g_signal_connect_object (narrow, "apply", G_CALLBACK (breakpoint_apply_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (narrow, "unapply", G_CALLBACK (breakpoint_unapply_cb), self, G_CONNECT_SWAPPED);
    adw_application_window_add_breakpoint (ADW_APPLICATION_WINDOW (self), narrow);
  }

  if (g_strcmp0 (PROFILE, "devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->loading_spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading your links"),
                                  -1);

  restore_size (self);

  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

OflWindow *
ofl_window_new (GtkApplication *application,
                OflLinks       *links)
{
  OflWindow *self = g_object_new (OFL_TYPE_WINDOW, "application", application, NULL);

  /* The list is the application's links: read them again, as another
   * process may have changed the keyring since. */
  self->links = g_object_ref (links);
  ofl_accounts_view_set_service (self->accounts_view, self->links);
  show_view (self, "loading");
  ofl_window_reload (self);

  return self;
}

static void
start_relink (OflWindow  *self,
              OflLink    *link,
              const char *stored_token)
{
  ensure_assistant (self);
  show_view (self, "assistant");
  /* After show_view: the page asks for focus once it is visible. */
  ofl_assistant_start_relink (self->assistant, link, stored_token);
}

typedef struct {
  OflWindow *self;
  OflLink   *link;
} RelinkData;

static void
relink_data_free (RelinkData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->link);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelinkData, relink_data_free)

static void
relink_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelinkData) data = user_data;
  g_autoptr(OflSecret) token = NULL;
  g_autoptr(GError) error = NULL;

  token = ofl_links_lookup_token_finish (OFL_LINKS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without the old token the trip starts at Generate instead. */
  start_relink (data->self, data->link, token);
}

void
ofl_window_relink_link (OflWindow *self,
                        OflLink   *link)
{
  RelinkData *data;

  g_return_if_fail (OFL_IS_WINDOW (self));
  g_return_if_fail (OFL_IS_LINK (link));

  if (ofl_assistant_relink_page (link) != OFL_PAGE_EMAIL)
    {
      start_relink (self, link, NULL);
      return;
    }

  /* Only the user is the problem: the stored token still works, so the
   * person only picks another user. */
  data = g_new0 (RelinkData, 1);
  data->self = g_object_ref (self);
  data->link = g_object_ref (link);
  ofl_links_lookup_token_async (self->links, link, self->cancellable, relink_token_cb, data);
}

static OflLink *
find_link (OflWindow  *self,
           const char *email)
{
  g_autofree char *normalized = ofl_credentials_normalize_email (email, NULL);
  g_autoptr(GPtrArray) found = NULL;

  if (normalized == NULL)
    return NULL;

  /* The same email in two accounts: the one that needs attention. */
  found = ofl_links_find (self->links, normalized, NULL);
  return found->len > 0 ? g_object_ref (g_ptr_array_index (found, 0)) : NULL;
}

void
ofl_window_relink (OflWindow  *self,
                   const char *email)
{
  g_autoptr(OflLink) link = NULL;

  g_return_if_fail (OFL_IS_WINDOW (self));
  g_return_if_fail (email != NULL);

  /* Asked for before the links were read (the command line, a
   * notification that started the app): once they are. */
  if (!self->links_loaded)
    {
      g_free (self->pending_relink);
      self->pending_relink = g_strdup (email);
      return;
    }

  link = find_link (self, email);
  if (link == NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is an email address */
      text = g_strdup_printf (_("No link for %s is saved on this computer"), email);
      show_home (self);
      ofl_window_show_toast (self, text);
      return;
    }

  ofl_window_relink_link (self, link);
}

void
ofl_window_show_toast (OflWindow  *self,
                       const char *text)
{
  AdwToast *toast;

  g_return_if_fail (OFL_IS_WINDOW (self));

  /* One at a time: "The link works again" must not queue behind the
   * "needs attention" it answers. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  g_set_object (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GtkWidget *
ofl_window_get_assistant (OflWindow *self)
{
  g_return_val_if_fail (OFL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (ensure_assistant (self));
}
