/* ofl-ui-test.c: shared helpers for the GUI tests */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ofl-ui-test.h"
#include "ofl-config.h"
#include "ofl-credentials.h"
#include "ofl-link-row.h"

static OflApplication *app;

static gboolean
tick_cb (gpointer user_data)
{
  /* Wakes the main loop so WAIT_UNTIL can notice its deadline. */
  return G_SOURCE_CONTINUE;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
ofl_ui_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;

  /* GTK's in-process accessibility backend: states and relations can be
   * asserted without an AT-SPI bus (the environment says "none"). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (argc, argv, NULL);
  /* No start-up check unless a test asks for one (test-relink does); the
   * settings are the memory backend's, private to this process. */
  ofl_ui_test_set_check_on_open (FALSE);
  adw_init ();

  app = ofl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);

  g_timeout_add (50, tick_cb, NULL);

  /* Registering started the application's first read of the links, on a
   * thread; the tests change the environment (the API address) next,
   * which no other thread may be reading then. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ofl_links_join_load_async (ofl_application_get_links (app), NULL, store_result_cb, &result);
    WAIT_UNTIL (result != NULL);
  }
}

void
ofl_ui_test_set_check_on_open (gboolean check)
{
  g_autoptr(GSettings) settings = g_settings_new (OFL_SETTINGS_SCHEMA_ID);

  g_settings_set_boolean (settings, "check-links-on-open", check);
}

OflApplication *
ofl_ui_test_get_app (void)
{
  return app;
}

OflFakeServer *
ofl_ui_test_start_server (gboolean tls)
{
  g_autoptr(GError) error = NULL;
  OflFakeServer *server = ofl_fake_server_new (tls, &error);

  g_assert_no_error (error);
  g_setenv ("ONEFLOW_LINK_API_URL", ofl_fake_server_get_url (server), TRUE);

  return server;
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

void
ofl_ui_test_wait_frames (GtkWidget *widget,
                         guint      n_frames)
{
  g_autoptr(GdkFrameClock) clock = NULL;
  guint painted = 0;
  gulong handler;

  WAIT_UNTIL (gtk_widget_get_mapped (widget) && gtk_widget_get_frame_clock (widget) != NULL);
  clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  while (painted < n_frames)
    {
      guint before = painted;

      /* A frame comes only when something asks for one. */
      gtk_widget_queue_draw (widget);
      WAIT_UNTIL (painted > before);
    }
  g_signal_handler_disconnect (clock, handler);
}

void
ofl_ui_test_wait_settled (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + ofl_ui_test_timeout_us ();
  graphene_rect_t last = GRAPHENE_RECT_INIT (-1, -1, -1, -1);

  for (;;)
    {
      graphene_rect_t bounds;

      ofl_ui_test_wait_frames (widget, 1);
      if (gtk_widget_get_width (widget) > 0 &&
          gtk_widget_compute_bounds (widget, GTK_WIDGET (gtk_widget_get_root (widget)), &bounds))
        {
          if (graphene_rect_equal (&bounds, &last))
            return;
          last = bounds;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for a %s to settle", G_OBJECT_TYPE_NAME (widget));
    }
}

static void
round_trip_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
ofl_ui_test_bus_round_trip (GDBusConnection *bus)
{
  gboolean replied = FALSE;

  /* The bus forwards what it got from one sender in order, and GDBus
   * dispatches replies in the order they came in. */
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, round_trip_cb, &replied);
  WAIT_UNTIL (replied);
}

guint
ofl_ui_test_wait_requests_over (OflFakeServer *server,
                                gint64         since_us)
{
  g_autoptr(GPtrArray) requests = NULL;
  guint answered = 0;

  WAIT_UNTIL (ofl_fake_server_count_in_flight (server) == 0);
  requests = ofl_fake_server_get_requests (server);
  for (guint i = 0; i < requests->len; i++)
    {
      OflFakeRequest *request = g_ptr_array_index (requests, i);

      /* Status 0: the client hung up before the answer. */
      if (request->finished_us >= since_us && request->status != 0)
        answered++;
    }

  return answered;
}

OflWindow *
ofl_ui_test_new_window (void)
{
  OflWindow *window = ofl_window_new (GTK_APPLICATION (app), ofl_application_get_links (app));

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "loading") != 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

void
ofl_ui_test_close_window (OflWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwDialog *dialog, *last = NULL;

  /* Dialogs over it first. */
  for (GList *l = toplevels; l; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  /* libadwaita closes an open dialog instead of its window. */
  while ((dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window))) != NULL &&
         dialog != last)
    {
      adw_dialog_force_close (dialog);
      last = dialog;
    }

  gtk_window_close (GTK_WINDOW (window));
  /* Closed, not just asked to close: the application has let it go. */
  WAIT_UNTIL (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window) == NULL);
}

gpointer
ofl_ui_test_child (gpointer    widget,
                   GType       template_type,
                   const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), template_type, id);

  /* The Connect page's failure is a widget of its own, "error_box". */
  if (child == NULL && template_type == OFL_TYPE_CONNECT_PAGE)
    {
      GObject *card = gtk_widget_get_template_child (GTK_WIDGET (widget), template_type, "error_box");

      if (card != NULL)
        child = gtk_widget_get_template_child (GTK_WIDGET (card), OFL_TYPE_FAILURE_CARD, id);
    }

  g_assert_nonnull (child);

  return child;
}

const char *
ofl_ui_test_view (OflWindow *window)
{
  return gtk_stack_get_visible_child_name (ofl_ui_test_child (window, OFL_TYPE_WINDOW, "main_stack"));
}

OflAccountsView *
ofl_ui_test_accounts_view (OflWindow *window)
{
  return ofl_ui_test_child (window, OFL_TYPE_WINDOW, "accounts_view");
}

OflAssistant *
ofl_ui_test_assistant (OflWindow *window)
{
  return OFL_ASSISTANT (ofl_window_get_assistant (window));
}

guint
ofl_ui_test_n_rows (OflAccountsView *view)
{
  GtkWidget *list_box = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "list_box");
  guint rows = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    rows += OFL_IS_LINK_ROW (child);
  return rows;
}

GtkWidget *
ofl_ui_test_find_row (OflAccountsView *view,
                      const char      *email)
{
  GtkWidget *list_box = ofl_ui_test_child (view, OFL_TYPE_ACCOUNTS_VIEW, "list_box");
  GListModel *links = ofl_accounts_view_get_links (view);

  /* Past the first screenful, rows come a few a frame: wait for all. */
  WAIT_UNTIL (ofl_ui_test_n_rows (view) == (links ? g_list_model_get_n_items (links) : 0));

  for (GtkWidget *child = gtk_widget_get_first_child (list_box); child; child = gtk_widget_get_next_sibling (child))
    if (OFL_IS_LINK_ROW (child) &&
        ofl_credentials_email_equal (ofl_link_get_email (ofl_link_row_get_link (OFL_LINK_ROW (child))), email))
      return child;
  return NULL;
}

OflPageId
ofl_ui_test_current (OflAssistant *assistant)
{
  AdwNavigationView *navigation = ofl_ui_test_child (assistant, OFL_TYPE_ASSISTANT, "navigation_view");
  AdwNavigationPage *visible = adw_navigation_view_get_visible_page (navigation);

  for (OflPageId page = 0; page < OFL_N_PAGES; page++)
    if (ADW_NAVIGATION_PAGE (ofl_assistant_get_page (assistant, page)) == visible)
      return page;
  g_assert_not_reached ();
}

gboolean
ofl_ui_test_busy (OflAssistant *assistant)
{
  gboolean busy;

  g_object_get (assistant, "busy", &busy, NULL);
  return busy;
}

guint
ofl_ui_test_n_busy_links (void)
{
  GListModel *links = ofl_links_get_model (ofl_application_get_links (ofl_ui_test_get_app ()));
  guint busy = 0;

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(OflLink) link = g_list_model_get_item (links, i);

      busy += ofl_link_get_busy (link);
    }
  return busy;
}

OflAssistantPage *
ofl_ui_test_page (OflWindow *window,
                  OflPageId  page)
{
  return ofl_assistant_get_page (ofl_ui_test_assistant (window), page);
}

gboolean
ofl_ui_test_next_enabled (OflWindow *window)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflAssistantPage *page = ofl_assistant_get_page (assistant, ofl_ui_test_current (assistant));
  GtkWidget *next = ofl_ui_test_child (page, OFL_TYPE_ASSISTANT_PAGE, "next_button");

  return gtk_widget_get_sensitive (next);
}

void
ofl_ui_test_activate (gpointer    widget,
                      const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (widget), action, NULL));
}

void
ofl_ui_test_set_text (gpointer    page,
                      GType       type,
                      const char *row_id,
                      const char *text)
{
  GtkEditable *row = ofl_ui_test_child (page, type, row_id);

  gtk_editable_set_text (row, text);
}

AdwAlertDialog *
ofl_ui_test_find_dialog (OflWindow *window)
{
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  return ADW_IS_ALERT_DIALOG (dialog) ? ADW_ALERT_DIALOG (dialog) : NULL;
}

void
ofl_ui_test_fill (OflWindow  *window,
                  const char *token,
                  const char *email)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);

  ofl_ui_test_activate (window, "win.add-link-with-token");
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_TOKEN);

  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row", token);
  g_assert_true (ofl_ui_test_next_enabled (window));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);

  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row", email);
  g_assert_true (ofl_ui_test_next_enabled (window));
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
}

void
ofl_ui_test_connect (OflWindow *window)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);
  OflConnectPage *connect = OFL_CONNECT_PAGE (ofl_ui_test_page (window, OFL_PAGE_CONNECT));
  GtkButton *button = ofl_ui_test_child (connect, OFL_TYPE_CONNECT_PAGE, "connect_button");

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ofl_ui_test_busy (assistant));
  WAIT_UNTIL (!ofl_ui_test_busy (assistant));
}

char *
ofl_ui_test_keyring_lookup (const char *email)
{
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_sync (ofl_store_get_schema (), NULL, &error,
                                       "email", email, NULL);
  g_assert_no_error (error);

  return token;
}

gboolean
ofl_ui_test_label_contains (GtkLabel   *label,
                            const char *needle)
{
  return strstr (gtk_label_get_label (label), needle) != NULL;
}

gint64
ofl_ui_test_timeout_us (void)
{
  const char *slowdown = g_getenv ("OFL_TEST_SLOWDOWN");
  double factor = slowdown ? g_ascii_strtod (slowdown, NULL) : 1.0;

  return (gint64) (OFL_TEST_TIMEOUT_S * G_USEC_PER_SEC * MAX (factor, 1.0));
}

static GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

void
ofl_ui_test_save_png (GtkWidget  *widget,
                      const char *path)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width, height;

  /* A slow build may not have laid out and drawn the widget yet. */
  WAIT_UNTIL (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
              (node = snapshot_widget (widget)) != NULL);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *button = find_button (child, label);

      if (button != NULL)
        return button;
    }

  return NULL;
}

void
ofl_ui_test_respond (AdwAlertDialog *dialog,
                     const char     *response)
{
  GtkWidget *parent;
  GtkButton *button;

  /* Click the response's own button, as a person would. */
  g_assert_nonnull (dialog);
  parent = gtk_widget_get_ancestor (GTK_WIDGET (dialog), ADW_TYPE_APPLICATION_WINDOW);
  button = find_button (GTK_WIDGET (dialog), adw_alert_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
  /* The dialog may be gone by then: compare the pointer only. */
  WAIT_UNTIL ((gpointer) adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (parent)) != (gpointer) dialog);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
ofl_ui_test_store_link (OflFakeServer *server,
                        const char    *email,
                        const char    *account_id,
                        const char    *account_name,
                        const char    *token)
{
  g_autoptr(OflStore) store = ofl_store_new ();
  g_autoptr(OflLink) link = ofl_link_new (email, account_id, ofl_fake_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (account_name != NULL)
    ofl_link_set_account_name (link, account_name);

  ofl_store_save_async (store, link, token, NULL, on_saved, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (ofl_store_save_finish (store, result, &error));
  g_assert_no_error (error);
}

OflWindow *
ofl_ui_test_find_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (ofl_ui_test_get_app ()));

  for (GList *l = windows; l; l = l->next)
    if (OFL_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

GDBusConnection *
ofl_ui_test_own_name (const char                 *xml,
                      const char                 *name,
                      const char                 *path,
                      const GDBusInterfaceVTable *vtable)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, path, info->interfaces[0], vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Synchronously: the app looks for an owner when it registers. */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", name, 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);

  return g_steal_pointer (&bus);
}

gboolean
ofl_ui_test_press_key (GtkWidget       *widget,
                       guint            keyval,
                       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && !handled)
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, modifiers, &handled);
    }

  return handled;
}

gboolean
ofl_ui_test_press_enter (GtkWidget *widget)
{
  return ofl_ui_test_press_key (widget, GDK_KEY_Return, 0);
}

void
ofl_ui_test_go_back (OflWindow *window)
{
  OflAssistant *assistant = ofl_ui_test_assistant (window);

  /* What the back button, Escape, Alt+Left and swipe-back do. */
  ofl_ui_test_activate (ofl_assistant_get_page (assistant, ofl_ui_test_current (assistant)),
                        "navigation.pop");
}
