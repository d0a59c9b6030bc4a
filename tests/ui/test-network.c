/* test-network.c: when GNetworkMonitor says the network came back, the
 * stored links are checked again in the background.
 *
 * A network monitor of the test's own is the default one (the extension
 * point picks it by GIO_USE_NETWORK_MONITOR), so going offline and back
 * is a property the test sets. */

#include "config.h"

#include "ofl-link-row.h"
#include "ofl-ui-test.h"

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init)
                               g_io_extension_point_implement (G_NETWORK_MONITOR_EXTENSION_POINT_NAME,
                                                               g_define_type_id, "ofl-test", 0))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static gboolean
test_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TRUE;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_monitor_can_reach;
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
set_available (gboolean available)
{
  TestMonitor *self = TEST_MONITOR (g_network_monitor_get_default ());

  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* Whether @window has a handler on the network monitor. */
static gboolean
watching_network (OflWindow *window)
{
  return g_signal_handler_find (g_network_monitor_get_default (), G_SIGNAL_MATCH_DATA,
                                0, 0, NULL, NULL, window) != 0;
}

static void
test_network_back (void)
{
  g_autoptr(OflFakeServer) server = ofl_ui_test_start_server (FALSE);
  OflWindow *window;
  OflLink *anna;

  ofl_ui_test_store_link (server, OFL_FAKE_EMAIL_ANNA, OFL_FAKE_ACCOUNT_ACME_ID, NULL, OFL_FAKE_TOKEN_ACME);

  /* No start-up check here (ofl_ui_test_init turns it off). */
  window = ofl_ui_test_new_window ();
  anna = ofl_link_row_get_link (OFL_LINK_ROW (ofl_ui_test_find_row (ofl_ui_test_accounts_view (window),
                                                                         OFL_FAKE_EMAIL_ANNA)));
  /* The window watches the network a moment after it is on screen: it
   * has begun once it listens to the monitor. */
  WAIT_UNTIL (watching_network (window));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_cmpuint (ofl_fake_server_count_requests (server, OFL_FAKE_ENDPOINT_ANY), ==, 0);

  /* Going offline checks nothing; coming back checks every link. The
   * window hears of it during set_available(), and a check marks its
   * links busy as it starts: nothing busy then, or a frame later. */
  ofl_fake_server_revoke_token (server, OFL_FAKE_TOKEN_ACME);
  set_available (FALSE);
  g_assert_false (ofl_link_get_busy (anna));
  ofl_ui_test_wait_frames (GTK_WIDGET (window), 1);
  g_assert_false (ofl_link_get_busy (anna));
  g_assert_cmpint (ofl_link_get_status (anna), ==, OFL_LINK_STATUS_UNCHECKED);
  g_assert_cmpuint (ofl_fake_server_count_requests (server, OFL_FAKE_ENDPOINT_ANY), ==, 0);
  set_available (TRUE);
  WAIT_UNTIL (ofl_link_get_status (anna) == OFL_LINK_STATUS_NEEDS_ATTENTION && !ofl_link_get_busy (anna));
  g_assert_cmpstr (ofl_link_get_problem (anna), ==, "token-rejected");

  ofl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* Registers GIO's extension points before ours is added to one. */
  g_vfs_get_default ();
  g_type_ensure (TEST_TYPE_MONITOR);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "ofl-test", TRUE);
  ofl_ui_test_init (&argc, &argv);
  g_assert_true (TEST_IS_MONITOR (g_network_monitor_get_default ()));

  g_test_add_func ("/network/back-online-checks", test_network_back);

  return g_test_run ();
}
