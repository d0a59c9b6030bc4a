/* main.c: Oneflow Link */

#include "config.h"

#include <glib/gi18n.h>

#include "ofl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OflApplication) app = NULL;

  /* ONEFLOW_LINK_LOCALEDIR lets tests run the build tree's catalogues. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ONEFLOW_LINK_LOCALEDIR") ? g_getenv ("ONEFLOW_LINK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ofl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
