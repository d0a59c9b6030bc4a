/* test-notify-escape.c: a notification shows the email of a link read
 * from links.json with its control characters as escapes (issue 18,
 * item 5), while its actions keep the email as it is.
 *
 * As tests/ui/test-notification.c: the test owns org.gtk.Notifications
 * on its private session bus before the app registers, and records what
 * the app sends. */

#include "config.h"

#include "ofl-ui-test.h"

/* A details file can hold anything: a title change (OSC 0, BEL), a line
 * feed and a right-to-left override. */
#define EVIL_EMAIL "anna@example.com\x1b]0;owned\x07\nx\xe2\x80\xaey"

static GVariant *added;
/* Held for the whole run: the name goes with the last reference. */
static GDBusConnection *bus;

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
  if (g_str_equal (method_name, "AddNotification") && added == NULL)
    g_variant_get (parameters, "(ss@a{sv})", NULL, NULL, &added);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static void
test_title_escaped (void)
{
  OflApplication *app = ofl_ui_test_get_app ();
  g_autoptr(OflLink) link = ofl_link_new (EVIL_EMAIL, OFL_FAKE_ACCOUNT_ACME_ID, "https://api.oneflow.com/v1");
  g_autofree char *title = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) rejected = g_error_new_literal (OFL_ERROR, OFL_ERROR_TOKEN_REJECTED, "revoked");
  GVariantDict dict;

  /* A check found it needing attention, with no window to show it: the
   * application notifies (its handler of the service's ::checked). */
  ofl_link_record_check (link, NULL, rejected);
  g_signal_emit_by_name (ofl_application_get_links (app), "checked", link, rejected);
  WAIT_UNTIL (added != NULL);

  g_variant_dict_init (&dict, added);
  g_assert_true (g_variant_dict_lookup (&dict, "title", "s", &title));
  g_assert_cmpstr (title, ==,
                   "The Oneflow link for anna@example.com\\x1b]0;owned\\x07\\x0ax\\u202ey stopped working");
  /* Re-link finds the link by the email it has. */
  target = g_variant_dict_lookup_value (&dict, "default-action-target", G_VARIANT_TYPE_STRING);
  g_assert_nonnull (target);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, EVIL_EMAIL);
  g_variant_dict_clear (&dict);
  g_clear_pointer (&added, g_variant_unref);
}

int
main (int   argc,
      char *argv[])
{
  bus = ofl_ui_test_own_name (OFL_UI_TEST_GTK_NOTIFICATIONS_XML, "org.gtk.Notifications", "/org/gtk/Notifications", &vtable);
  ofl_ui_test_init (&argc, &argv);

  g_test_add_func ("/notification/title-escaped", test_title_escaped);

  return g_test_run ();
}
