/* main.c: Oneflow Link */

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>

#include "ofl-application.h"

/* In a sandbox started without a session bus, libsecret warns "couldn't
 * get session bus" on standard error before the app says the same, in
 * its own words and with what to do (one line, for scripts too): keep
 * libsecret's words for the debug log. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (log_level & G_LOG_LEVEL_WARNING)
    {
      const char *domain = NULL;
      const char *message = NULL;

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
          else if (g_str_equal (fields[i].key, "MESSAGE"))
            message = fields[i].value;
        }

      if (g_strcmp0 (domain, "libsecret") == 0 && message != NULL &&
          g_str_has_prefix (message, "couldn't get session bus"))
        return g_log_writer_default (G_LOG_LEVEL_DEBUG, fields, n_fields, user_data);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflApplication) app = NULL;

  g_log_set_writer_func (log_writer, NULL, NULL);

  /* ONEFLOW_LINK_LOCALEDIR lets tests run the build tree's catalogues. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ONEFLOW_LINK_LOCALEDIR") ? g_getenv ("ONEFLOW_LINK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Past the file size limit (ulimit -f), a write fails with EFBIG and
   * the app says so and cleans up, instead of dying of SIGXFSZ with a
   * temporary file left behind. */
  signal (SIGXFSZ, SIG_IGN);

  app = ofl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
