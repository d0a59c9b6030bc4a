/* main.c: Oneflow Link */

#include "config.h"

#include <signal.h>

#include <locale.h>
#include <glib/gi18n.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ofl-application.h"
#include "ofl-error.h"

/* Every log line, to the terminal or the journal: server text in a
 * debug message (a request ID, Oneflow's own words) shows its control
 * characters as escapes, as everything else the app prints does.
 *
 * In a sandbox started without a session bus, libsecret warns "couldn't
 * get session bus" on standard error before the app says the same, in
 * its own words and with what to do (one line, for scripts too): keep
 * libsecret's words for the debug log. Only that one warning. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  GLogField *copy = g_newa (GLogField, n_fields);
  g_autofree char *escaped = NULL;
  const char *domain = NULL;
  const char *message = NULL;
  gboolean demote;

  for (gsize i = 0; i < n_fields; i++)
    {
      copy[i] = fields[i];
      /* GLib's own fields are strings (length -1); others may not be. */
      if (fields[i].length >= 0)
        continue;
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  demote = (log_level & G_LOG_LEVEL_WARNING) &&
           g_strcmp0 (domain, "libsecret") == 0 && message != NULL &&
           g_str_has_prefix (message, "couldn't get session bus");

  if (message != NULL)
    escaped = ofl_escape_controls (message, OFL_ESCAPE_TEXT);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (copy[i].length >= 0)
        continue;
      if (escaped != NULL && g_str_equal (copy[i].key, "MESSAGE"))
        copy[i].value = escaped;
      /* A debug message in the journal too, where PRIORITY counts. */
      else if (demote && g_str_equal (copy[i].key, "PRIORITY"))
        copy[i].value = "7";
    }

  return g_log_writer_default (demote ? G_LOG_LEVEL_DEBUG : log_level, copy, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflApplication) app = NULL;

#ifdef __linux__
  /* The token passes through this process's memory (pasted, read from
   * standard input, from the keyring, in TLS buffers): a crash must not
   * write it into a core file, nor may another process of the same user
   * read it through ptrace or /proc/PID/mem. For the whole life of the
   * process, before any of it is read. */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif

  g_log_set_writer_func (log_writer, NULL, NULL);

  /* Now, not when GTK starts: the options and --help are made and
   * translated before that. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Past the file size limit (ulimit -f), a write fails with EFBIG and
   * the app says so and cleans up, instead of dying of SIGXFSZ with a
   * temporary file left behind. */
  signal (SIGXFSZ, SIG_IGN);

  app = ofl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
