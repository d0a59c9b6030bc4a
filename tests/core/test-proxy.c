/* test-proxy.c: requests go through the system's proxy settings
 *
 * A real proxy (Debian's tinyproxy) runs on loopback, and http_proxy /
 * https_proxy point at it, as on a company network. Loopback is not
 * bypassed, so every request to the fake server must pass through it.
 */

#include "config.h"

#include <string.h>

#include "ofl-client.h"
#include "ofl-error.h"
#include "ofl-fake-server.h"
#include "ofl-verifier.h"

typedef struct {
  char       *dir;
  char       *log_path;
  GSubprocess *proxy;
  guint       port;
  char       *proxy_url;
} Proxy;

static guint
find_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_accepts (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

/* Starts tinyproxy with @extra configuration lines. */
static Proxy *
proxy_start (const char *extra)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;

  proxy->dir = g_dir_make_tmp ("ofl-proxy-XXXXXX", &error);
  g_assert_no_error (error);
  proxy->log_path = g_build_filename (proxy->dir, "tinyproxy.log", NULL);
  proxy->port = find_free_port ();
  proxy->proxy_url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  config = g_strdup_printf ("Port %u\nListen 127.0.0.1\nTimeout 30\nLogLevel Info\n"
                            "LogFile \"%s\"\nMaxClients 50\n%s\n",
                            proxy->port, proxy->log_path, extra);
  config_path = g_build_filename (proxy->dir, "tinyproxy.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  proxy->proxy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   TINYPROXY, "-d", "-c", config_path, NULL);
  g_assert_no_error (error);

  for (int i = 0; i < 100 && !port_accepts (proxy->port); i++)
    g_usleep (20 * 1000);
  g_assert_true (port_accepts (proxy->port));

  return proxy;
}

static void
proxy_stop (Proxy *proxy)
{
  g_subprocess_force_exit (proxy->proxy);
  g_subprocess_wait (proxy->proxy, NULL, NULL);
  g_object_unref (proxy->proxy);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_free (proxy->log_path);
  g_free (proxy->proxy_url);
  g_free (proxy->dir);
  g_free (proxy);
}

static guint
count_in_log (Proxy      *proxy,
              const char *needle)
{
  g_autofree char *log = NULL;
  guint count = 0;

  if (!g_file_get_contents (proxy->log_path, &log, NULL, NULL))
    return 0;
  for (const char *p = strstr (log, needle); p != NULL; p = strstr (p + 1, needle))
    count++;
  return count;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static OflVerification *
verify (OflFakeServer  *server,
        gboolean        trust,
        GError        **error)
{
  g_autoptr(OflClient) client = NULL;
  g_autoptr(OflVerifier) verifier = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  OflVerification *verification;

  /* Trusted: the process's default database is exactly the server's
   * certificate, as on a system whose trust store has it. */
  if (trust)
    {
      GTlsCertificate *certificate = ofl_fake_server_get_certificate (server);
      g_autofree char *pem = NULL;
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), "ofl-proxy-ca.pem", NULL);
      g_autoptr(GTlsDatabase) database = NULL;

      g_object_get (certificate, "certificate-pem", &pem, NULL);
      g_assert_true (g_file_set_contents (path, pem, -1, NULL));
      database = g_tls_file_database_new (path, NULL);
      g_assert_nonnull (database);
      g_tls_backend_set_default_database (g_tls_backend_get_default (), database);
    }

  client = ofl_client_new (ofl_fake_server_get_url (server), 10, NULL);
  verifier = ofl_verifier_new (client);
  ofl_verifier_verify_async (verifier, OFL_FAKE_TOKEN_ACME, OFL_FAKE_EMAIL_ANNA, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  verification = ofl_verifier_verify_finish (verifier, result, error);
  g_tls_backend_set_default_database (g_tls_backend_get_default (), NULL);
  return verification;
}

static void
test_requests_go_through_proxy (void)
{
  Proxy *proxy = proxy_start ("Allow 127.0.0.1");
  g_autoptr(OflFakeServer) server = ofl_fake_server_new (FALSE, NULL);
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("http_proxy", proxy->proxy_url, TRUE);
  verification = verify (server, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verification->account->name, ==, OFL_FAKE_ACCOUNT_ACME);

  /* The proxy saw every request the server answered. */
  g_assert_cmpuint (ofl_fake_server_count_requests (server, OFL_FAKE_ENDPOINT_ANY), ==, 4);
  g_assert_cmpuint (count_in_log (proxy, "GET http://127.0.0.1"), ==, 4);
  proxy_stop (proxy);
}

static void
test_https_tunnel_through_proxy (void)
{
  Proxy *proxy = proxy_start ("Allow 127.0.0.1");
  g_autoptr(OflFakeServer) server = ofl_fake_server_new (TRUE, NULL);
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("https_proxy", proxy->proxy_url, TRUE);
  verification = verify (server, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_in_log (proxy, "CONNECT 127.0.0.1"), >=, 1);
  proxy_stop (proxy);
}

static void
test_proxy_refuses (void)
{
  /* Only a far-away client may use it: loopback is refused. */
  Proxy *proxy = proxy_start ("Allow 10.9.9.9");
  g_autoptr(OflFakeServer) server = ofl_fake_server_new (TRUE, NULL);
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("127.0.0.1:%u", proxy->port);

  g_setenv ("https_proxy", proxy->proxy_url, TRUE);
  verification = verify (server, TRUE, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_PROXY);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_cmpuint (ofl_fake_server_count_requests (server, OFL_FAKE_ENDPOINT_ANY), ==, 0);
  proxy_stop (proxy);
}

static void
test_proxy_needs_sign_in (void)
{
  Proxy *proxy = proxy_start ("Allow 127.0.0.1\nBasicAuth staff secret");
  g_autoptr(OflFakeServer) server = ofl_fake_server_new (TRUE, NULL);
  g_autoptr(OflVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("127.0.0.1:%u", proxy->port);

  g_setenv ("https_proxy", proxy->proxy_url, TRUE);
  verification = verify (server, TRUE, &error);
  g_assert_error (error, OFL_ERROR, OFL_ERROR_PROXY);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "sign-in"));
  proxy_stop (proxy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The proxy must see loopback traffic too. */
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

  /* As ofl-test-env: a missing tool fails, unless skipping is allowed. */
  if (!g_file_test (TINYPROXY, G_FILE_TEST_IS_EXECUTABLE))
    {
      if (g_strcmp0 (g_getenv ("OFL_TEST_ALLOW_SKIP"), "1") != 0)
        g_error ("tinyproxy is not installed: install the Debian package tinyproxy, or set OFL_TEST_ALLOW_SKIP=1");
      g_test_skip ("tinyproxy is not installed (Debian package tinyproxy), so the proxy cannot be tested here");
      return g_test_run ();
    }

  g_test_add_func ("/proxy/requests-go-through-proxy", test_requests_go_through_proxy);
  g_test_add_func ("/proxy/https-tunnel", test_https_tunnel_through_proxy);
  g_test_add_func ("/proxy/refuses", test_proxy_refuses);
  g_test_add_func ("/proxy/needs-sign-in", test_proxy_needs_sign_in);

  return g_test_run ();
}
