/* bench-verify.c: times full verifications against a running Oneflow API
 * (the fake server, for the benchmark). Prints one line per run:
 *   run=N wall_us=T
 * Each run uses a new client, so connections are opened as on a first link. */

#include "config.h"

#include <stdio.h>

#include "ofl-client.h"
#include "ofl-verifier.h"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *email = NULL;
  int runs = 1;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "API base URL", "URL" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token, "File holding the token", "FILE" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "User email", "EMAIL" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Number of runs", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time verifications");
  g_autoptr(GError) error = NULL;
  g_autofree char *token_text = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      url == NULL || token == NULL || email == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--url, --token-file and --email are required");
      return 1;
    }
  /* Like the app, the token never comes from the command line. */
  if (!g_file_get_contents (token, &token_text, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(OflClient) client = ofl_client_new (url, 20, &error);
      g_autoptr(OflVerifier) verifier = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(OflVerification) verification = NULL;
      gint64 started;

      if (client == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      verifier = ofl_verifier_new (client);

      started = g_get_monotonic_time ();
      ofl_verifier_verify_async (verifier, token_text, email, NULL, store_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      verification = ofl_verifier_verify_finish (verifier, result, &error);
      if (verification == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      printf ("run=%d wall_us=%" G_GINT64_FORMAT "\n", run, g_get_monotonic_time () - started);
      fflush (stdout);
    }

  return 0;
}
