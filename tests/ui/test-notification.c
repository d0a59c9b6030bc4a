/* test-notification.c: the desktop's "Check Links" (app.check-links)
 * notifies about a link that stopped working, and the notification's
 * default action opens the re-link flow for that link.
 *
 * GApplication picks its notification backend when it registers: on a
 * desktop session it talks to org.gtk.Notifications when that name has
 * an owner (GNOME Shell owns it), otherwise to org.freedesktop.Notifications.
 * This test owns org.gtk.Notifications on its private session bus before
 * the app registers, and records what the app sends. */

#include "config.h"

#include <string.h>

#include "ofl-ui-test.h"

typedef struct {
  char     *app_id;
  char     *id;
  GVariant *notification;   /* NULL: a RemoveNotification */
} Sent;

static GPtrArray *sent;
/* Held for the whole run: the name goes with the last reference. */
static GDBusConnection *bus;

static void
sent_free (Sent *s)
{
  g_free (s->app_id);
  g_free (s->id);
  g_clear_pointer (&s->notification, g_variant_unref);
  g_free (s);
}

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
  Sent *s = g_new0 (Sent, 1);

  if (g_str_equal (method_name, "AddNotification"))
    g_variant_get (parameters, "(ss@a{sv})", &s->app_id, &s->id, &s->notification);
  else
    g_variant_get (parameters, "(ss)", &s->app_id, &s->id);
  g_ptr_array_add (sent, s);

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static void
own_notifications (void)
{
  bus = ofl_ui_test_own_name (OFL_UI_TEST_GTK_NOTIFICATIONS_XML, "org.gtk.Notifications", "/org/gtk/Notifications", &vtable);
  sent = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
}

static Sent *
find_sent (const char *id,
           gboolean    added)
{
  for (guint i = 0; i < sent->len; i++)
    {
      Sent *s = g_ptr_array_index (sent, i);

      if (g_str_equal (s->id, id) && (s->notification != NULL) == added)
        return s;
    }

  return NULL;
}

static void
assert_notification (Sent *s)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GVariant) buttons = NULL;
  g_autoptr(GVariant) button = NULL;
  g_autofree char *label = NULL;
  g_autofree char *button_action = NULL;
  g_autoptr(GVariant) button_target = NULL;
  GVariantDict dict;

  g_assert_nonnull (s);
  g_assert_cmpstr (s->app_id, ==, APP_ID);

  g_variant_dict_init (&dict, s->notification);
  g_assert_true (g_variant_dict_lookup (&dict, "title", "s", &title));
  g_assert_cmpstr (title, ==, "The Oneflow link for anna@example.com stopped working");
  g_assert_true (g_variant_dict_lookup (&dict, "body", "s", &body));
  g_assert_cmpstr (body, ==, "Oneflow no longer accepts the token. It was probably revoked or replaced. Re-link to fix it.");

  /* Clicking it: app.relink for this email. */
  g_assert_true (g_variant_dict_lookup (&dict, "default-action", "s", &action));
  g_assert_cmpstr (action, ==, "app.relink");
  target = g_variant_dict_lookup_value (&dict, "default-action-target", NULL);
  g_assert_nonnull (target);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, OFL_FAKE_EMAIL_ANNA);

  buttons = g_variant_dict_lookup_value (&dict, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buttons);
  g_assert_cmpuint (g_variant_n_children (buttons), ==, 1);
  button = g_variant_get_child_value (buttons, 0);
  g_assert_true (g_variant_lookup (button, "label", "s", &label));
  g_assert_cmpstr (label, ==, "Re-link");
  g_assert_true (g_variant_lookup (button, "action", "s", &button_action));
  g_assert_cmpstr (button_action, ==, "app.relink");
  button_target = g_variant_lookup_value (button, "target", NULL);
  g_assert_cmpstr (g_variant_get_string (button_target, NULL), ==, OFL_FAKE_EMAIL_ANNA);
  g_variant_dict_clear (&dict);
}

static void
test_notification (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  GApplication *app = G_APPLICATION (ofl_ui_test_get_app ());
  const char *id = "link-broken-anna@example.com";
  g_autoptr(GVariant) target = NULL;
  OflWindow *window;
  OflAssistant *assistant;
  GtkEditable *email_row;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);

  /* "Check Links" with no window: checked in the background, notified. */
  g_assert_null (ofl_ui_test_find_window ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "check-links", NULL);
  WAIT_UNTIL (find_sent (id, TRUE) != NULL);
  assert_notification (find_sent (id, TRUE));
  g_assert_null (ofl_ui_test_find_window ());

  /* Its default action opens the re-link flow for that link. */
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, find_sent (id, TRUE)->notification);
    target = g_variant_dict_lookup_value (&dict, "default-action-target", NULL);
    g_variant_dict_clear (&dict);
  }
  g_action_group_activate_action (G_ACTION_GROUP (app), "relink", target);
  window = ofl_ui_test_find_window ();
  g_assert_nonnull (window);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "assistant") == 0);
  assistant = ofl_ui_test_assistant (window);
  g_assert_cmpint (ofl_ui_test_current (assistant), ==, OFL_PAGE_GENERATE);
  email_row = ofl_ui_test_child (ofl_ui_test_page (window, OFL_PAGE_EMAIL), OFL_TYPE_EMAIL_PAGE, "email_row");
  g_assert_cmpstr (gtk_editable_get_text (email_row), ==, OFL_FAKE_EMAIL_ANNA);

  /* With the window open, "Check Links" notifies as well. */
  g_ptr_array_set_size (sent, 0);
  g_action_group_activate_action (G_ACTION_GROUP (app), "check-links", NULL);
  WAIT_UNTIL (find_sent (id, TRUE) != NULL);
  assert_notification (find_sent (id, TRUE));

  /* Re-linked: the notification is withdrawn. */
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_TOKEN);
  ofl_ui_test_set_text (ofl_ui_test_page (window, OFL_PAGE_TOKEN), OFL_TYPE_TOKEN_PAGE, "token_row",
                        OFL_FAKE_TOKEN_ACME_NEW);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_EMAIL);
  ofl_ui_test_activate (assistant, "assistant.next");
  WAIT_UNTIL (ofl_ui_test_current (assistant) == OFL_PAGE_CONNECT);
  ofl_ui_test_connect (window);
  WAIT_UNTIL (find_sent (id, FALSE) != NULL);
  WAIT_UNTIL (g_strcmp0 (ofl_ui_test_view (window), "accounts") == 0);

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  own_notifications ();
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/notification/check-links", test_notification);

  return g_test_run ();
}
