/* test-notification-fdo.c: the same notification on a desktop without
 * org.gtk.Notifications, where GApplication falls back to
 * org.freedesktop.Notifications. This test owns that name on its private
 * bus, records the Notify call, then "clicks" the notification
 * (ActionInvoked "default") and sees the re-link flow open. */

#include "config.h"

#include <string.h>

#include "ofl-ui-test.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "      <arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u'/>"
  "      <arg type='s'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static GDBusConnection *bus;
static GVariant *notified;   /* the last Notify's parameters */
static guint32 next_id = 1;

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      g_clear_pointer (&notified, g_variant_unref);
      notified = g_variant_ref (parameters);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", next_id++));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static void
own_notifications (void)
{
  bus = ofl_ui_test_own_name (introspection_xml, "org.freedesktop.Notifications",
                              "/org/freedesktop/Notifications", &vtable);
}

static void
test_fdo (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  g_autoptr(GError) error = NULL;
  const char *summary, *body;
  g_autofree const char **actions = NULL;
  guint32 id;
  OflWindow *window;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);

  g_action_group_activate_action (G_ACTION_GROUP (ofl_ui_test_get_app ()), "check-links", NULL);
  WAIT_UNTIL (notified != NULL);

  g_variant_get_child (notified, 3, "&s", &summary);
  g_variant_get_child (notified, 4, "&s", &body);
  g_variant_get_child (notified, 5, "^a&s", &actions);
  g_assert_cmpstr (summary, ==, "The Oneflow link for anna@example.com stopped working");
  g_assert_nonnull (strstr (body, "no longer accepts the token"));
  /* The default action, then the Re-link button with its target. */
  g_assert_cmpuint (g_strv_length ((char **) actions), ==, 4);
  g_assert_cmpstr (actions[0], ==, "default");
  g_assert_cmpstr (actions[2], ==, "app.relink('anna@example.com')");
  g_assert_cmpstr (actions[3], ==, "Re-link");
  g_assert_null (ofl_ui_test_find_window ());

  /* Clicking it: the re-link flow for that link. The app learns the
   * notification's id from our reply to Notify: a round trip through the
   * bus sent after that reply comes back after it. */
  ofl_ui_test_bus_round_trip (bus);
  id = next_id - 1;
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, "default"), &error);
  g_assert_no_error (error);
  WAIT_UNTIL ((window = ofl_ui_test_find_window ()) != NULL &&
              g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
  g_assert_cmpint (ofl_ui_test_current (ofl_ui_test_assistant (window)), ==, OFL_PAGE_GENERATE);
  g_assert_cmpstr (gtk_editable_get_text (ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL),
                                                             OFL_TYPE_EMAIL_PAGE, "email_row")),
                   ==, OFL_FAKE_EMAIL_ANNA);

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  own_notifications ();
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/notification/freedesktop", test_fdo);

  status = g_test_run ();
  g_clear_pointer (&notified, g_variant_unref);
  g_clear_object (&bus);

  return status;
}
