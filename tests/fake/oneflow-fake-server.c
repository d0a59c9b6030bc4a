/* oneflow-fake-server: serves the fake Oneflow API until SIGTERM/SIGINT.
 *
 *   oneflow-fake-server [--tls|--expired-certificate] [--port N]
 *                       [--latency MS] [--users N]
 *                       [--fault ENDPOINT=FAULT[:TIMES]]...
 *
 * The first line on stdout is the base URL (…/v1). While it runs, it can
 * be steered over HTTP under /_fake/ (see ofl-fake-server.c). */

#include "ofl-fake-server.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* "users=429:2" -> users, 429, 2 */
static gboolean
apply_fault (OflFakeServer  *server,
             const char     *spec,
             GError        **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, "=", 2);
  g_auto(GStrv) fault_times = NULL;
  OflFakeEndpoint endpoint;
  OflFakeFault fault;
  guint64 times = 0;

  if (g_strv_length (parts) != 2 || !ofl_fake_endpoint_from_string (parts[0], &endpoint))
    goto bad;
  fault_times = g_strsplit (parts[1], ":", 2);
  if (!ofl_fake_fault_from_string (fault_times[0], &fault))
    goto bad;
  if (fault_times[1] &&
      !g_ascii_string_to_unsigned (fault_times[1], 10, 0, G_MAXUINT, &times, NULL))
    goto bad;

  ofl_fake_server_set_fault (server, endpoint, fault, times);
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Bad --fault “%s”: expected ENDPOINT=FAULT[:TIMES], e.g. users=429:2", spec);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  gboolean tls = FALSE;
  gboolean expired = FALSE;
  int port = 0;
  int latency = 0;
  int users = 0;
  g_auto(GStrv) faults = NULL;
  const GOptionEntry entries[] = {
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Serve HTTPS with the self-signed test certificate", NULL },
    { "expired-certificate", 0, 0, G_OPTION_ARG_NONE, &expired, "Serve HTTPS with an expired certificate", NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: any free port)", "N" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every response by MS milliseconds", "MS" },
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Add N filler users to " OFL_FAKE_ACCOUNT_ACME, "N" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Misbehave, e.g. users=429:2 or any=hang (repeatable)", "ENDPOINT=FAULT[:TIMES]" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a fake Oneflow API on 127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(OflFakeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  OflFakeTls mode;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Endpoints: any ping account users workspaces\n"
                                    "Faults: 401 403 404 429 429-retry-after 500 503 html invalid-json\n"
                                    "  truncated-json huge-json array wrong-types hang close-mid-body\n"
                                    "  redirect-http redirect-host\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto fail;
  if (port < 0 || port > G_MAXUINT16 || latency < 0 || users < 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--port, --latency and --users take non-negative numbers");
      goto fail;
    }

  mode = expired ? OFL_FAKE_TLS_EXPIRED : tls ? OFL_FAKE_TLS_SELF_SIGNED : OFL_FAKE_TLS_NONE;
  server = ofl_fake_server_new_full (mode, port, &error);
  if (server == NULL)
    goto fail;

  ofl_fake_server_set_latency (server, OFL_FAKE_ENDPOINT_ANY, latency);
  ofl_fake_server_add_filler_users (server, OFL_FAKE_ACCOUNT_ACME_ID, users);
  for (guint i = 0; faults && faults[i]; i++)
    if (!apply_fault (server, faults[i], &error))
      goto fail;

  printf ("%s\n", ofl_fake_server_get_url (server));
  fflush (stdout);
  if (mode != OFL_FAKE_TLS_NONE)
    g_printerr ("Certificate: %s\n", ofl_fake_server_get_certificate_path (server));

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;

fail:
  g_printerr ("oneflow-fake-server: %s\n", error->message);
  return EXIT_FAILURE;
}
